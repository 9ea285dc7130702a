/**
 * Runs the MEBX screens on the real terminal, for people and for the tmux test: the terminal is the
 * host's serial console (raw stdin is injected into the UART, the ANSI mirror of the framebuffer
 * goes to stdout), and the engine side is an in-process MEBX server over an in-memory NVRAM (no
 * HECI, no engine boot). This is a development harness, so unlike the rest of src/host it builds
 * engine-side parts itself.
 *
 *   node dist/src/host/mebx/terminal-main.js [--state FILE]
 *
 * `--state FILE` loads the NVRAM partition and counter from FILE when it exists, and writes them
 * there when MEBX exits, so a test can reopen the AMT state; then any key quits. Ctrl-C leaves
 * without saving.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AmtStateStore } from '../../amt-state/index.js';
import { MemoryCounter, MemoryPartitionStore, NvramFileSystem } from '../../kernel/nvram/index.js';
import { createMebxServer } from '../../protocols/mebx/index.js';
import { ABSENT_ENGINE } from '../engine-port.js';
import { TextFramebuffer } from '../framebuffer.js';
import { Keyboard } from '../keyboard.js';
import { RealTimeClock } from '../real-time.js';
import { Uart } from '../serial.js';
import { mebxHandler } from './handler.js';

export const TERMINAL_STATE_FORMAT = 'vme-mebx-terminal/1';
/** Partition size and MAC secret of the harness's NVRAM (a development value, not a fuse). */
export const TERMINAL_NVRAM = { size: 0x20000, sectorSize: 4096, secret: new TextEncoder().encode('vme-mebx-terminal-harness-secret') } as const;

export interface TerminalState {
  readonly counter: number;
  readonly partition: Uint8Array;
}

export function readTerminalState(path: string): TerminalState {
  const record = JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown; counter?: unknown; partition?: unknown };
  if (record.format !== TERMINAL_STATE_FORMAT || typeof record.counter !== 'number' || typeof record.partition !== 'string') throw new Error(`${path} is not ${TERMINAL_STATE_FORMAT}`);
  return { counter: record.counter, partition: Uint8Array.from(Buffer.from(record.partition, 'base64')) };
}

/** Mounts the harness NVRAM from a saved state (or blank) and returns the file system and its parts. */
export function mountTerminalNvram(state?: TerminalState): { fs: NvramFileSystem; store: MemoryPartitionStore; counter: MemoryCounter } {
  const store = new MemoryPartitionStore(TERMINAL_NVRAM.size, { sectorSize: TERMINAL_NVRAM.sectorSize, nor: true, ...(state ? { contents: state.partition } : {}) });
  const counter = new MemoryCounter(state?.counter ?? 0);
  return { fs: NvramFileSystem.mount({ store, secret: TERMINAL_NVRAM.secret, counter }), store, counter };
}

async function main(argv: readonly string[]): Promise<number> {
  const at = argv.indexOf('--state');
  const statePath = at >= 0 ? argv[at + 1] : undefined;
  const nvram = mountTerminalNvram(statePath && existsSync(statePath) ? readTerminalState(statePath) : undefined);
  const namespace = nvram.fs.namespace('amt');
  const server = createMebxServer({ state: await AmtStateStore.open(namespace), nvram: namespace, isEndOfPost: () => false });
  const serial = new Uart();
  const controller = new AbortController();
  serial.onOutput((bytes) => void process.stdout.write(bytes));
  const terminal = new TerminalInput(serial, controller);
  const session = { screen: new TextFramebuffer(), serial, keyboard: new Keyboard(), engine: ABSENT_ENGINE, clock: new RealTimeClock(), signal: controller.signal };
  await mebxHandler({ request: (message) => server.handle(message) })(session);
  if (controller.signal.aborted) {
    terminal.close();
    process.stdout.write('MEBx interrupted; nothing saved.\r\n');
    return 130;
  }
  if (statePath) {
    const partition = Buffer.from(nvram.store.read(0, nvram.store.size)).toString('base64');
    writeFileSync(statePath, `${JSON.stringify({ format: TERMINAL_STATE_FORMAT, counter: nvram.counter.read(), partition })}\n`);
  }
  // Stay until a key, so the last screen and this line stay readable (tmux may drop output written just before exit).
  process.stdout.write(`MEBx exited${statePath ? `; state saved to ${statePath}` : ''}.\r\nPress any key to quit.\r\n`);
  await terminal.nextKey();
  terminal.close();
  return 0;
}

/** Raw terminal input: bytes go to the UART until MEBX ends, Ctrl-C aborts, then one key quits. */
class TerminalInput {
  #onKey: (() => void) | undefined;

  constructor(serial: Uart, controller: AbortController) {
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdin.on('data', (data: Buffer) => {
      if (this.#onKey) this.#onKey();
      else if (data.includes(0x03)) controller.abort();
      else serial.inject(data);
    });
  }

  nextKey(): Promise<void> {
    return new Promise((resolve) => (this.#onKey = resolve));
  }

  close(): void {
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Exit explicitly: a TTY stdin that was read in raw mode can keep the event loop alive (writes to a TTY are synchronous).
  main(process.argv.slice(2)).then((status) => process.exit(status), (error: unknown) => {
    process.stderr.write(`terminal-main: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
