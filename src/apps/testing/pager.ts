/**
 * Test app `pager`: granted engine memory. `fill` writes whole pages of a known marker (more pages
 * than SRAM holds, so they spill to UMA); `check` reads them back and, like a careless app,
 * catches any error and carries on — the kernel must fault it anyway when a page was tampered.
 */
import { defineApp } from '../../kernel/app-api.js';
import { PAGER_INTERFACE } from './interfaces.js';

const PAGE = 4096;
const codeOf = (error: unknown): string => (error as { code?: string }).code ?? 'none';

/** Page `page`'s expected content: `marker:page|` repeated over 4 KiB. */
export function pageImage(marker: string, page: number): Uint8Array {
  const unit = new TextEncoder().encode(`${marker}:${page}|`);
  const out = new Uint8Array(PAGE);
  for (let at = 0; at < PAGE; at += unit.length) out.set(unit.subarray(0, Math.min(unit.length, PAGE - at)), at);
  return out;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

export default defineApp({
  interface: PAGER_INTERFACE,
  start(context) {
    const pages = new Map<number, string>();
    const attempt = (label: string, work: () => Promise<unknown>): Promise<string> => work().then(() => `${label}:none`, (error: unknown) => `${label}:${codeOf(error)}`);
    return {
      handlers: {
        fill: async ({ pages: wanted, marker }) => {
          let allocated = 0;
          try {
            for (; allocated < wanted; allocated++) {
              const page = await context.memory.allocate();
              pages.set(page, marker);
              await context.memory.write(page, 0, pageImage(marker, page));
            }
            return { allocated, code: '' };
          } catch (error) {
            return { allocated, code: codeOf(error) };
          }
        },
        check: async () => {
          try {
            for (const [page, marker] of pages) {
              if (!same(await context.memory.read(page, 0, PAGE), pageImage(marker, page))) return { pages: pages.size, ok: false, code: 'mismatch' };
            }
            return { pages: pages.size, ok: true, code: '' };
          } catch (error) {
            return { pages: pages.size, ok: false, code: codeOf(error) };
          }
        },
        misuse: async () => {
          const [kept, freed] = [await context.memory.allocate(), await context.memory.allocate()];
          await context.memory.free(freed);
          const results = await Promise.all([
            attempt('unknown', () => context.memory.read(999_999, 0, 1)),
            attempt('after-free', () => context.memory.read(freed, 0, 1)),
            attempt('past-end', () => context.memory.write(kept, PAGE - 1, new Uint8Array(2))),
            attempt('oversized', () => context.invoke('memory', 'write', { page: kept, offset: 0, bytes: new Uint8Array(PAGE + 1) })),
          ]);
          await context.memory.free(kept);
          return { results };
        },
        nvramGet: () => attempt('', () => context.nvram.get('state')).then((result) => ({ code: result.slice(1) })),
        ping: () => ({ pong: true }),
      },
    };
  },
});
