/**
 * A program on a real terminal for tests: tmux on its own socket (nothing else touched), typed into
 * with send-keys and read with capture-pane. Needs the Debian package tmux; a missing tmux fails.
 */
import { spawnSync } from 'node:child_process';

export class TmuxSession {
  constructor(readonly socket: string, readonly name = 'vme') {}

  /** Runs any tmux command against this session's server; returns its stdout. */
  run(...args: string[]): string {
    const result = spawnSync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', timeout: 10_000 });
    if (result.error) throw new Error(`tmux is not installed: install the Debian package tmux (or run scripts/install-test-deps.sh): ${result.error.message}`);
    if (result.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }

  /** Starts `command` (argv) in a detached 80×25 session. */
  start(command: string[], cwd: string): void {
    this.run('new-session', '-d', '-s', this.name, '-x', '80', '-y', '25', '-c', cwd, ...command);
  }

  screen(): string {
    return this.run('capture-pane', '-p', '-t', this.name);
  }

  /** Types text literally. */
  type(text: string): void {
    this.run('send-keys', '-t', this.name, '-l', text);
  }

  /** Sends named keys (Enter, Escape, C-p, C-], ...). */
  keys(...names: string[]): void {
    this.run('send-keys', '-t', this.name, ...names);
  }

  /** Waits until the screen matches `pattern`; returns the screen. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** True while the session's program still runs. */
  alive(): boolean {
    return spawnSync('tmux', ['-S', this.socket, 'has-session', '-t', this.name], { timeout: 10_000 }).status === 0;
  }

  /** Kills the tmux server (and with it the program), whatever state it is in. */
  kill(): void {
    spawnSync('tmux', ['-S', this.socket, '-f', '/dev/null', 'kill-server'], { timeout: 10_000 });
  }
}
