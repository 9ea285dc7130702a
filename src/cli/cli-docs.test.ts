// Keeps docs/cli.md in step with the program: every command and every long option is documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildProgram } from './main.js';

const doc = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');

function walk(cmd: Command, path: string[], out: { path: string; options: string[] }[]): void {
  for (const sub of cmd.commands) {
    const p = [...path, sub.name()];
    if (sub.commands.length === 0) out.push({ path: p.join(' '), options: sub.options.map((o) => o.long ?? o.short ?? '') });
    walk(sub, p, out);
  }
}

test('every leaf command and each of its options appears in docs/cli.md', () => {
  const leaves: { path: string; options: string[] }[] = [];
  walk(buildProgram(), [], leaves);
  assert.ok(leaves.length >= 8);
  for (const leaf of leaves) {
    const words = leaf.path.split(' ');
    const heading = new RegExp(`^## \`vme ${words.slice(0, -1).join(' ')}[^\`]*\\b${words.at(-1) ?? ''}\\b`, 'm');
    assert.match(doc, heading, `docs/cli.md has a section for "vme ${leaf.path}"`);
    for (const option of leaf.options) assert.ok(doc.includes(`\`${option}`) || doc.includes(`, ${option}`), `docs/cli.md documents ${option} of "vme ${leaf.path}"`);
  }
});
