/**
 * The simulated OS's serial shell: a line discipline (echo, backspace, Ctrl-C, CR/LF) and a small
 * table of commands. Commands only compute text and an optional power effect; the OS applies them.
 */

/** What a command asks the OS to do to the machine afterwards. */
export type ShellEffect = 'softOff' | 'reset' | 'sleep' | 'hibernate';

/** What commands can read. */
export interface ShellEnvironment {
  readonly hostname: string;
  readonly kernelRelease: string;
  readonly commandLine: string;
  readonly bootDevice: string;
  /** " 00:01:05 up 1 min,  1 user,  load average: 0.00, 0.00, 0.00" */
  uptime(): string;
}

export interface ShellResult {
  readonly output: readonly string[];
  readonly effect?: ShellEffect;
}

type Command = (environment: ShellEnvironment, argumentsText: string) => ShellResult;

const SHUTDOWN_NOTICE = 'The system will power off now!';

/** Exact command lines (after collapsing spaces) and what they do. */
const COMMANDS: Readonly<Record<string, Command>> = {
  'uname': () => ({ output: ['Linux'] }),
  'uname -a': (environment) => ({ output: [`Linux ${environment.hostname} ${environment.kernelRelease} #1 SMP PREEMPT_DYNAMIC vme x86_64 GNU/Linux`] }),
  'uname -r': (environment) => ({ output: [environment.kernelRelease] }),
  'hostname': (environment) => ({ output: [environment.hostname] }),
  'uptime': (environment) => ({ output: [environment.uptime()] }),
  'cat /proc/cmdline': (environment) => ({ output: [environment.commandLine] }),
  'vme-boot-device': (environment) => ({ output: [environment.bootDevice] }),
  'shutdown -h now': () => ({ output: [SHUTDOWN_NOTICE], effect: 'softOff' }),
  'poweroff': () => ({ output: [SHUTDOWN_NOTICE], effect: 'softOff' }),
  'systemctl poweroff': () => ({ output: [SHUTDOWN_NOTICE], effect: 'softOff' }),
  'reboot': () => ({ output: ['The system will reboot now!'], effect: 'reset' }),
  'systemctl reboot': () => ({ output: ['The system will reboot now!'], effect: 'reset' }),
  'systemctl suspend': () => ({ output: [], effect: 'sleep' }),
  'systemctl hibernate': () => ({ output: [], effect: 'hibernate' }),
  'help': () => ({ output: [`commands: ${Object.keys(COMMANDS).join(', ')}, echo`] }),
};

/** Runs one command line. */
export function runCommand(line: string, environment: ShellEnvironment): ShellResult {
  const normalized = line.trim().split(/\s+/).join(' ');
  if (normalized === '') return { output: [] };
  if (normalized === 'echo' || normalized.startsWith('echo ')) return { output: [normalized.slice(5)] };
  const command = COMMANDS[normalized];
  if (command) return command(environment, '');
  const name = normalized.split(' ')[0] ?? normalized;
  return { output: [`-bash: ${name}: command not found`] };
}

const MAX_LINE = 256;

/** Turns received bytes into echoes and complete lines, like a tty in canonical mode. */
export class LineDiscipline {
  #line = '';
  #lastWasCarriageReturn = false;

  /** Feeds received bytes; returns the echo to transmit and the lines completed (or '\x03' for Ctrl-C). */
  feed(bytes: Uint8Array): { echo: string; lines: string[] } {
    let echo = '';
    const lines: string[] = [];
    for (const byte of bytes) {
      const afterCarriageReturn = this.#lastWasCarriageReturn;
      this.#lastWasCarriageReturn = byte === 0x0d;
      if (byte === 0x0a && afterCarriageReturn) continue;
      if (byte === 0x0d || byte === 0x0a) {
        echo += '\r\n';
        lines.push(this.#line);
        this.#line = '';
      } else if (byte === 0x7f || byte === 0x08) {
        if (this.#line.length > 0) echo += '\b \b';
        this.#line = this.#line.slice(0, -1);
      } else if (byte === 0x03) {
        echo += '^C\r\n';
        lines.push('\x03');
        this.#line = '';
      } else if (byte >= 0x20 && byte < 0x7f && this.#line.length < MAX_LINE) {
        this.#line += String.fromCharCode(byte);
        echo += String.fromCharCode(byte);
      }
    }
    return { echo, lines };
  }
}

/** Linux `uptime` text for `milliseconds` since boot at wall-clock time `now`. */
export function formatUptime(now: Date, milliseconds: number): string {
  const minutesTotal = Math.floor(milliseconds / 60_000);
  const days = Math.floor(minutesTotal / 1440);
  const hours = Math.floor((minutesTotal % 1440) / 60);
  const minutes = minutesTotal % 60;
  const clock = hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}` : `${minutes} min`;
  const up = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock;
  const time = now.toISOString().slice(11, 19);
  return ` ${time} up ${up},  1 user,  load average: 0.00, 0.00, 0.00`;
}
