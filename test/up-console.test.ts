// `vme up --console --mebx` on a real terminal (tmux): the user's terminal is the host's serial
// console; MEBX talks to the real engine over HECI; after Exit the OS boots and its shell answers;
// Ctrl-] shuts the machine down and vme exits.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TmuxSession } from './support/tmux.js';
import { tempDir, VME_BIN } from './support/cli.js';

const GOOD = 'Vme-2024!ok';
const { dir, cleanup } = tempDir('vme-console-');
const tmux = new TmuxSession(join(dir, 'tmux.sock'));
after(() => {
  tmux.kill();
  cleanup();
});

test('MEBX and the OS shell through vme up --console, then Ctrl-] exits', async () => {
  tmux.start([process.execPath, VME_BIN, 'up', '--state', 'st', '--console', '--mebx'], dir);
  await tmux.waitFor(/MEBx LOGIN/, 60_000);
  tmux.type('admin');
  tmux.keys('Enter');
  await tmux.waitFor(/DEFAULT PASSWORD/);
  tmux.type(GOOD);
  tmux.keys('Enter');
  tmux.type(GOOD);
  tmux.keys('Enter');
  await tmux.waitFor(/MAIN MENU/);
  tmux.keys('Escape');
  await tmux.waitFor(/exit MEBx\?/);
  tmux.type('y');
  await tmux.waitFor(/root@vme-host:~#/, 30_000);
  tmux.type('uname -a');
  tmux.keys('Enter');
  await tmux.waitFor(/Linux vme-host/);
  tmux.keys('C-]');
  const deadline = Date.now() + 20_000;
  while (tmux.alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(tmux.alive(), false, 'vme up exited after Ctrl-]');
});
