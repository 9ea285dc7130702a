// `vme up --address` and `vme status`'s `network`: the platform's listeners on its own loopback address
// (random per file), reported by `vme up`, recorded in <state>/network.json while it runs, read by `vme status`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../src/common/errors.js';
import type { NetworkListenerStatus } from '../src/kernel/index.js';
import type { NetworkStatus } from '../src/status/index.js';
import { tempDir, vme, VME_BIN } from './support/cli.js';

const { dir, cleanup } = tempDir('vme-net-');
after(cleanup);
const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

interface UpNetwork { network: { address: string; amt: string[]; listeners: NetworkListenerStatus[] }; engine: string }

test('vme up --once --address: the listeners are reported on that address; the AMT line only for listening AMT ports', () => {
  const json = vme(['up', '--state', 'st', '--once', '--json', '--address', address, '--no-lms'], dir);
  assert.equal(json.status, 0, json.stderr);
  const up = JSON.parse(json.stdout) as UpNetwork;
  assert.equal(up.network.address, address);
  for (const l of up.network.listeners) {
    assert.equal(l.address, address);
    assert.ok(l.listening || l.error, `${l.app} ${l.protocol} ${l.port} listens or says why not`);
  }
  const listening = up.network.listeners.filter((l) => l.app === 'amt' && l.protocol === 'tcp' && l.listening && [16992, 16993].includes(l.port));
  assert.deepEqual(listening.map((l) => l.port), [16992, 16993], 'the web ports (redirection 16994/16995 is not HTTP)');
  assert.deepEqual(up.network.amt, listening.map((l) => `${l.tls ? 'https' : 'http'}://${address}:${l.port}`));
  assert.equal(existsSync(join(dir, 'st', 'network.json')), false, 'network.json is removed at shutdown');

  const text = vme(['up', '--state', 'st', '--once', '--address', address, '--no-lms'], dir);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^network: +${address.replaceAll('.', '\\.')} `, 'm'));
  if (listening.length > 0) assert.match(text.stdout, new RegExp(`^AMT: +${up.network.amt.join(' +').replaceAll('.', '\\.')}$`, 'm'));
  else assert.doesNotMatch(text.stdout, /^AMT:/m);
});

test('vme up refuses a non-loopback address before touching the state folder', () => {
  const r = vme(['up', '--state', 'other', '--once', '--address', '10.1.2.3'], dir);
  assert.equal(r.status, EXIT.usage);
  assert.match(r.stderr, /VME_ERR_USAGE.*loopback/);
  assert.equal(existsSync(join(dir, 'other')), false);
});

test('while vme up runs, network.json holds its address and vme status --json reports it as network', async () => {
  const child = spawn(process.execPath, [VME_BIN, 'up', '--state', 'st', '--address', address, '--no-lms'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(`code ${code} signal ${signal}`)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vme up never reported running:\n${stderr}`)), 60_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('press Ctrl-C')) { clearTimeout(timer); resolve(); }
      });
    });
    const file = JSON.parse(readFileSync(join(dir, 'st', 'network.json'), 'utf8')) as { format: string; address: string };
    assert.equal(file.format, 'vme-network/1');
    assert.equal(file.address, address);
    const status = vme(['status', '--state', 'st', '--json'], dir);
    assert.equal(status.status, 0, status.stderr);
    const network = (JSON.parse(status.stdout) as { network: NetworkStatus | null }).network;
    assert.equal(network?.address, address);
    const text = vme(['status', '--state', 'st'], dir);
    assert.match(text.stdout, new RegExp(`^network: +${address.replaceAll('.', '\\.')}`, 'm'));
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 'code 0 signal null', stderr);
  assert.equal(existsSync(join(dir, 'st', 'network.json')), false);
});
