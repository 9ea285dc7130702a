// The key decoder (terminal bytes to MEBX keys) and the ANSI mirror of the framebuffer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextFramebuffer } from '../framebuffer.js';
import { AnsiMirror } from './ansi.js';
import { KeyDecoder, type Key } from './keys.js';

const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
const names = (keys: Key[]): string[] => keys.map((key) => (key.kind === 'char' ? key.char : key.kind));

test('characters, Enter (CR, LF, CRLF once), Backspace, Tab; other control bytes ignored', () => {
  const decoder = new KeyDecoder();
  assert.deepEqual(names(decoder.feed(bytes('a!\r\n\n\x7f\x08\t\x10\x00Z'))), ['a', '!', 'enter', 'enter', 'backspace', 'backspace', 'tab', 'Z']);
});

test('CSI and SS3 cursor keys, editing keys, and a bare Escape', () => {
  const decoder = new KeyDecoder();
  assert.deepEqual(names(decoder.feed(bytes('\x1b[A\x1b[B\x1bOC\x1bOD\x1b[H\x1b[F\x1b[3~\x1b[5~\x1b[6~\x1b'))),
    ['up', 'down', 'right', 'left', 'home', 'end', 'delete', 'pageUp', 'pageDown', 'escape']);
  assert.deepEqual(names(decoder.feed(bytes('\x1bx'))), ['escape', 'x']);
  assert.deepEqual(names(decoder.feed(bytes('\x1b[99~q'))), ['q']);
});

test('a sequence split across chunks is completed by the next one', () => {
  const decoder = new KeyDecoder();
  assert.deepEqual(names(decoder.feed(bytes('a\x1b['))), ['a']);
  assert.deepEqual(names(decoder.feed(bytes('Bb'))), ['down', 'b']);
});

test('the ANSI mirror draws the whole screen once, then only changed rows, with VGA colours as SGR', () => {
  const screen = new TextFramebuffer();
  const mirror = new AnsiMirror();
  screen.putText(0, 0, 'Title', 0x1f);
  const first = mirror.frame(screen);
  assert.ok(first.startsWith('\x1b[0m\x1b[2J'));
  assert.ok(first.includes('\x1b[0;97;44mTitle'), 'white on blue');
  const rowMoves = (frame: string): string[] => frame.split('\x1b[').filter((part) => /^\d+;1H/.test(part)).slice(0, -1).map((part) => part.split(';')[0] ?? ''); // the last move places the cursor
  assert.equal(rowMoves(first).length, 25);
  screen.putText(3, 2, 'x', 0x4f);
  const second = mirror.frame(screen);
  assert.deepEqual(rowMoves(second), ['4']);
  assert.ok(second.includes('\x1b[0;97;41mx'), 'white on red');
  screen.setCursor(10, 20);
  assert.ok(mirror.frame(screen).endsWith('\x1b[11;21H'));
});
