// Finds every compiled test file under dist/ and runs them with node's built-in test runner.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filter = process.argv[2];
const files = collect('dist', []).filter((f) => !filter || f.includes(filter)).sort();
if (files.length === 0) {
  console.error(`no test files found under dist/${filter ? ` matching "${filter}"` : ''}; run npm run build first`);
  process.exit(1);
}
// A per-test timeout turns a hang into a failure with a name instead of a stalled run.
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=240000', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
