// Finds every compiled test file under dist/ and runs them with node's built-in test runner.
// A test file that never reports within the per-test timeout (a whole-file hang: location :1:1)
// is run once more on its own and said so loudly; any other failure fails the run as it is.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

/** Runs `files`; the TAP goes to the terminal and to `tapFile`. A per-test timeout turns a hang into a named failure. */
function run(files, tapFile) {
  const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tapFile}`];
  return spawnSync(process.execPath, ['--test', ...reporters, '--test-concurrency=2', `--test-timeout=${process.env.VME_TEST_TIMEOUT_MS ?? 240000}`, ...files], { stdio: 'inherit' }).status ?? 1;
}

/** Top-level failures: whole test files that timed out without reporting, and everything else. */
function failures(tap) {
  const lines = tap.split('\n');
  const hungFiles = [];
  let others = 0;
  lines.forEach((line, index) => {
    const match = /^not ok \d+ - (.+\.test\.js)$/.exec(line);
    const detail = lines.slice(index + 1, index + 8).join('\n');
    if (match && /failureType: 'testTimeoutFailure'/.test(detail) && /location: '.*:1:1'/.test(detail)) hungFiles.push(match[1]);
    else if (line.startsWith('not ok ')) others += 1;
  });
  return { hungFiles, others };
}

const filter = process.argv[2];
const files = collect('dist', []).filter((f) => !filter || f.includes(filter)).sort();
if (files.length === 0) {
  console.error(`no test files found under dist/${filter ? ` matching "${filter}"` : ''}; run npm run build first`);
  process.exit(1);
}
const tapFile = join(tmpdir(), `vme-tests-${process.pid}.tap`);
try {
  const status = run(files, tapFile);
  if (status === 0) process.exit(0);
  const { hungFiles, others } = failures(readFileSync(tapFile, 'utf8'));
  if (others > 0 || hungFiles.length === 0) process.exit(status);
  console.log(`\n# RETRY: ${hungFiles.length} test file(s) never reported within the timeout (a whole-file hang, no test failed): ${hungFiles.join(', ')}; running them once more on their own`);
  const retry = run(hungFiles, tapFile);
  console.log(`# RETRY ${retry === 0 ? 'passed' : 'failed'}`);
  process.exit(retry);
} finally {
  rmSync(tapFile, { force: true });
}
