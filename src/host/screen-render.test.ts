// The text screen drawn as pixels: glyph and colours of a cell, the cursor underline, and dirty
// rectangles that cover exactly the cells that changed (one cell, a row run, the whole screen).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextFramebuffer } from './framebuffer.js';
import { GLYPHS, glyphRows } from './screen-font.js';
import { readCells, ScreenRenderer, VGA_PALETTE } from './screen-render.js';

test('every printable ASCII glyph is drawn, distinct, inside its 8×16 cell with spacing', () => {
  const seen = new Set<string>();
  for (let code = 0x21; code <= 0x7e; code++) {
    const rows = glyphRows(code);
    assert.ok(rows.some((r) => r !== 0), `glyph ${String.fromCharCode(code)} has pixels`);
    assert.ok(rows.every((r) => (r & 0x81) === 0), 'columns 0 and 7 stay blank');
    assert.equal(rows[0], 0);
    seen.add(Buffer.from(rows).toString('hex'));
  }
  assert.equal(seen.size, 0x7e - 0x21 + 1);
  assert.equal(GLYPHS.length, 95 * 16);
  assert.deepEqual(glyphRows(0x01), glyphRows(0x3f), 'outside ASCII shows as ?');
});

test('a cell is drawn in its foreground on its background; the first render is the whole screen', () => {
  const screen = new TextFramebuffer();
  screen.putText(0, 0, 'H', 0x1f); // white on blue
  const renderer = new ScreenRenderer();
  assert.deepEqual(renderer.render(readCells(screen)), [{ x: 0, y: 0, width: 640, height: 400 }]);
  const colours = new Set<number>();
  for (let y = 0; y < 16; y++) for (let x = 0; x < 8; x++) colours.add(renderer.pixels[y * 640 + x] ?? -1);
  assert.deepEqual([...colours].sort(), [VGA_PALETTE[1], VGA_PALETTE[15]].sort());
  assert.equal(renderer.pixels[2 * 640 + 1], VGA_PALETTE[15], 'the H has a stroke at its left edge');
  assert.equal(renderer.pixels[8 * 640 + 8], VGA_PALETTE[0], 'the next cell is black');
});

test('dirty rectangles: nothing, one cell, a run in a row, merged rows, and the cursor', () => {
  const screen = new TextFramebuffer();
  const renderer = new ScreenRenderer();
  renderer.render(readCells(screen));
  assert.deepEqual(renderer.render(readCells(screen)), []);
  screen.putText(3, 10, 'x');
  assert.deepEqual(renderer.render(readCells(screen)), [{ x: 80, y: 48, width: 8, height: 16 }]);
  screen.putText(5, 2, 'abc');
  screen.putText(6, 2, 'def');
  assert.deepEqual(renderer.render(readCells(screen)), [{ x: 16, y: 80, width: 24, height: 32 }]);
  assert.deepEqual(renderer.render(readCells(screen), { row: 1, column: 1 }), [{ x: 8, y: 16, width: 8, height: 16 }]);
  assert.equal(renderer.pixels[31 * 640 + 9], VGA_PALETTE[7], 'the cursor underline');
  assert.deepEqual(renderer.render(readCells(screen), { row: 1, column: 2 }), [{ x: 8, y: 16, width: 16, height: 16 }]);
  assert.throws(() => renderer.render(new Uint16Array(10)), RangeError);
});
