/**
 * Runs a real peer program (curl, openssl) asynchronously for tests, so the server under test in
 * this same process keeps answering while the peer talks to it. Never uses a shell.
 */
import { execFile } from 'node:child_process';

export interface PeerResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `program args`, feeding `input` on stdin; resolves with its exit code and output. */
export function runPeer(program: string, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<PeerResult> {
  return new Promise((resolve) => {
    const child = execFile(program, [...args], { timeout: options.timeoutMs ?? 15_000, encoding: 'latin1', maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      const missing = error?.code === 'ENOENT' ? `${program} is not installed: run scripts/install-test-deps.sh (Debian package ${program})\n` : '';
      resolve({ code, stdout, stderr: missing + stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}
