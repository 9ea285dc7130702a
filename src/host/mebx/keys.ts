/**
 * Turns the bytes a keyboard or a serial terminal sends into MEBX keys: printable characters,
 * Enter (CR, LF or CRLF), Backspace (DEL or BS), Tab, Escape, and the ANSI cursor and editing
 * sequences (CSI `ESC [` and SS3 `ESC O`). A sequence split across chunks is completed by the next
 * chunk; an ESC that ends a chunk is the Escape key (terminals send the whole sequence at once).
 */

export type SpecialKey = 'enter' | 'escape' | 'up' | 'down' | 'left' | 'right' | 'backspace' | 'tab' | 'home' | 'end' | 'delete' | 'pageUp' | 'pageDown';
export type Key = { readonly kind: 'char'; readonly char: string } | { readonly kind: SpecialKey };

const ESC = 0x1b;
const FINALS: Readonly<Record<string, SpecialKey>> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };
const TILDE: Readonly<Record<string, SpecialKey>> = { 1: 'home', 3: 'delete', 4: 'end', 5: 'pageUp', 6: 'pageDown', 7: 'home', 8: 'end' };

export class KeyDecoder {
  #pending: number[] = [];
  #afterCr = false;

  /** The keys in `bytes` (plus any sequence left open by the previous chunk). */
  feed(bytes: Uint8Array): Key[] {
    const input = [...this.#pending, ...bytes];
    this.#pending = [];
    const keys: Key[] = [];
    for (let i = 0; i < input.length;) {
      const byte = input[i] as number;
      if (byte === ESC) {
        const used = this.#escape(input, i, keys);
        if (used === 0) break;
        i += used;
        continue;
      }
      this.#plain(byte, keys);
      i++;
    }
    return keys;
  }

  #plain(byte: number, keys: Key[]): void {
    const afterCr = this.#afterCr;
    this.#afterCr = byte === 0x0d;
    if (byte === 0x0d) keys.push({ kind: 'enter' });
    else if (byte === 0x0a) {
      if (!afterCr) keys.push({ kind: 'enter' });
    } else if (byte === 0x7f || byte === 0x08) keys.push({ kind: 'backspace' });
    else if (byte === 0x09) keys.push({ kind: 'tab' });
    else if (byte >= 0x20 && byte !== 0x7f) keys.push({ kind: 'char', char: String.fromCharCode(byte) });
  }

  /** Decodes the sequence at `start`; returns the bytes used, or 0 when it is incomplete (kept for the next chunk). */
  #escape(input: number[], start: number, keys: Key[]): number {
    this.#afterCr = false;
    const next = input[start + 1];
    if (next === undefined || (next !== 0x5b && next !== 0x4f)) {
      keys.push({ kind: 'escape' });
      return 1;
    }
    for (let end = start + 2; end < input.length; end++) {
      const byte = input[end] as number;
      if (byte >= 0x40 && byte <= 0x7e) {
        const params = String.fromCharCode(...input.slice(start + 2, end));
        const final = String.fromCharCode(byte);
        const special = final === '~' ? TILDE[params] : FINALS[final];
        if (special) keys.push({ kind: special });
        return end - start + 1;
      }
      if (end - start > 16) return end - start + 1; // not a sequence we know: drop it
    }
    this.#pending = input.slice(start);
    return 0;
  }
}
