// Shell: line discipline (echo, backspace, CR/LF, Ctrl-C, line limit), commands, uptime text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUptime, LineDiscipline, runCommand, type ShellEnvironment } from './os-shell.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const environment: ShellEnvironment = { hostname: 'box', kernelRelease: '6.1.0-vme', commandLine: 'root=/dev/sda1', bootDevice: 'Hard disk: d', uptime: () => ' up' };

test('the line discipline echoes, edits and splits lines on CR, LF or CRLF', () => {
  const discipline = new LineDiscipline();
  assert.deepEqual(discipline.feed(bytes('ab\x7fc\r\nd')), { echo: 'ab\b \bc\r\nd', lines: ['ac'] });
  assert.deepEqual(discipline.feed(bytes('\n\x03')), { echo: '\r\n^C\r\n', lines: ['d', '\x03'] });
  assert.deepEqual(discipline.feed(bytes('\x7f\x01')), { echo: '', lines: [] }, 'nothing to erase; control bytes ignored');
  const long = discipline.feed(bytes(`${'x'.repeat(300)}\r`));
  assert.equal(long.lines[0]?.length, 256);
});

test('commands answer from the environment and name their power effect', () => {
  assert.deepEqual(runCommand('uname  -a', environment).output, ['Linux box 6.1.0-vme #1 SMP PREEMPT_DYNAMIC vme x86_64 GNU/Linux']);
  assert.deepEqual(runCommand('hostname', environment).output, ['box']);
  assert.deepEqual(runCommand('cat /proc/cmdline', environment).output, ['root=/dev/sda1']);
  assert.equal(runCommand('shutdown -h now', environment).effect, 'softOff');
  assert.equal(runCommand('reboot', environment).effect, 'reset');
  assert.equal(runCommand('systemctl suspend', environment).effect, 'sleep');
  assert.equal(runCommand('systemctl hibernate', environment).effect, 'hibernate');
  assert.deepEqual(runCommand('echo hi there', environment).output, ['hi there']);
  assert.deepEqual(runCommand('rm -rf /', environment).output, ['-bash: rm: command not found']);
  assert.deepEqual(runCommand('   ', environment).output, []);
});

test('uptime reads like Linux uptime', () => {
  const now = new Date(Date.UTC(2025, 0, 1, 0, 1, 5));
  assert.equal(formatUptime(now, 65_000), ' 00:01:05 up 1 min,  1 user,  load average: 0.00, 0.00, 0.00');
  assert.match(formatUptime(now, (2 * 60 + 5) * 60_000), / up 2:05, /);
  assert.match(formatUptime(now, 26 * 3_600_000), / up 1 day, 2:00, /);
});
