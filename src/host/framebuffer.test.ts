// Text framebuffer: teletype writes, wrap and scroll, cells and attributes, dirty tracking, snapshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextFramebuffer } from './framebuffer.js';

const lines = (screen: TextFramebuffer): string[] => screen.render().split('\n');

test('writes render as 25 trimmed lines with the cursor after the text', () => {
  const screen = new TextFramebuffer();
  screen.write('hello\nworld');
  assert.deepEqual(lines(screen).slice(0, 3), ['hello', 'world', '']);
  assert.equal(lines(screen).length, 25);
  assert.deepEqual(screen.cursor, { row: 1, column: 5 });
  assert.deepEqual(screen.cell(0, 0), { character: 'h', attribute: 0x07 });
});

test('carriage return, backspace, tab and the 80-column wrap', () => {
  const screen = new TextFramebuffer();
  screen.write('abc\rX\tY\bZ\n');
  assert.equal(lines(screen)[0], 'Xbc     Z');
  screen.write('x'.repeat(85));
  assert.equal(lines(screen)[1], 'x'.repeat(80));
  assert.equal(lines(screen)[2], 'xxxxx');
});

test('writing past the last row scrolls the screen up', () => {
  const screen = new TextFramebuffer();
  for (let line = 0; line < 30; line++) screen.write(`line ${line}\n`);
  assert.equal(lines(screen)[0], 'line 6');
  assert.equal(lines(screen)[23], 'line 29');
  assert.equal(lines(screen)[24], '');
  assert.deepEqual(screen.cursor, { row: 24, column: 0 });
});

test('the change counter moves on every change and dirty rectangles cover what changed', () => {
  const screen = new TextFramebuffer();
  const before = screen.changeCount;
  screen.putText(3, 10, 'abc', 0x1f);
  screen.putText(5, 2, 'z');
  assert.ok(screen.changeCount > before);
  assert.deepEqual(screen.takeDirty(), { top: 3, left: 2, bottom: 6, right: 13 });
  assert.equal(screen.takeDirty(), undefined, 'taking resets the tracking');
  assert.equal(screen.cell(3, 10).attribute, 0x1f);
  screen.putText(0, 78, 'clipped');
  assert.equal(lines(screen)[0], `${' '.repeat(78)}cl`);
  screen.clear();
  assert.deepEqual(screen.takeDirty(), { top: 0, left: 0, bottom: 25, right: 80 });
});

test('non-ASCII characters show as ? and positions outside the screen are RangeErrors', () => {
  const screen = new TextFramebuffer();
  screen.write('caf\u00e9 \u2603');
  assert.equal(lines(screen)[0], 'caf? ?');
  assert.throws(() => screen.cell(25, 0), RangeError);
  assert.throws(() => screen.putText(0, 80, 'x'), RangeError);
});

test('snapshot and restore fork the screen without aliasing', () => {
  const screen = new TextFramebuffer();
  screen.write('before');
  const snapshot = screen.snapshot();
  screen.clear();
  screen.write('after');
  screen.restore(snapshot);
  assert.equal(lines(screen)[0], 'before');
  assert.deepEqual(screen.cursor, { row: 0, column: 6 });
});
