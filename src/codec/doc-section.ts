/**
 * The generated section of a hand-written reference doc: the text between the BEGIN/END GENERATED
 * markers is rendered from codec declarations (`docTable()` and friends) and kept in step by a test.
 * Shared by the protocol reference generators (src/protocols/{mkhi,pthi,mebx}/reference-doc.ts):
 * each keeps its own rendering, this module splices, reads, writes and offers their `--write` entry.
 *
 * Lives in src/codec because it only handles text rendered from codec declarations; it is not part
 * of the codec's public index (it touches the file system), import it directly.
 *
 * API:
 *   generatedPart(doc)                 — the trimmed text between the markers of a doc's contents
 *   readGenerated(path)                — the same, read from the file at `path` (for the in-step test)
 *   writeGenerated(path, generated)    — rewrite the section in place, keeping the hand-written text
 *   writeGeneratedOnCli(moduleUrl, path, render) — `node <module>.js --write` regenerates the doc
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BEGIN = '<!-- BEGIN GENERATED: do not edit by hand -->';
export const END = '<!-- END GENERATED -->';

/** Positions of the markers in `doc`. @throws Error naming `what` when they are missing or out of order. */
function markers(doc: string, what: string): { start: number; end: number } {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${what} has no generated section markers`);
  return { start, end };
}

/** The text between the markers of a reference doc. */
export function generatedPart(doc: string): string {
  const { start, end } = markers(doc, 'reference doc');
  return doc.slice(start + BEGIN.length, end).trim();
}

/** The generated section of the doc at `path`, to compare with a fresh rendering (trimmed). */
export function readGenerated(path: URL): string {
  return generatedPart(readFileSync(path, 'utf8'));
}

/** Rewrites the generated section of the doc at `path` with `generated`. */
export function writeGenerated(path: URL, generated: string): void {
  const doc = readFileSync(path, 'utf8');
  const { start, end } = markers(doc, path.pathname);
  writeFileSync(path, `${doc.slice(0, start + BEGIN.length)}\n\n${generated}\n\n${doc.slice(end)}`);
}

/**
 * The `--write` command line of a generator module: when the module at `moduleUrl` (pass
 * `import.meta.url`) is the program run with `--write`, regenerate the doc at `path`.
 */
export function writeGeneratedOnCli(moduleUrl: string, path: URL, render: () => string): void {
  if (process.argv[1] === fileURLToPath(moduleUrl) && process.argv.includes('--write')) writeGenerated(path, render());
}
