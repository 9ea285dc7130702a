/**
 * X11 keysyms (RFB KeyEvent, RFC 6143 §7.5.4) to the bytes a text-mode host's keyboard takes: ASCII
 * characters, Ctrl+letter as a control byte (Ctrl-P is the MEBX hotkey), Enter CR, Backspace DEL,
 * Tab, Escape, and the ANSI sequences the MEBX key decoder understands (cursor keys, Home/End,
 * Insert/Delete, PageUp/PageDown, F1–F12). Key releases and other keys give nothing.
 */

const ESC = '\x1b';
const CONTROL_KEYS = new Set([0xffe3, 0xffe4]);

const SPECIAL: Readonly<Record<number, string>> = {
  0xff08: '\x7f', 0xff09: '\t', 0xff0d: '\r', 0xff8d: '\r', 0xff1b: ESC,
  0xff51: `${ESC}[D`, 0xff52: `${ESC}[A`, 0xff53: `${ESC}[C`, 0xff54: `${ESC}[B`,
  0xff50: `${ESC}[H`, 0xff57: `${ESC}[F`, 0xff55: `${ESC}[5~`, 0xff56: `${ESC}[6~`, 0xff63: `${ESC}[2~`, 0xffff: `${ESC}[3~`,
  0xffbe: `${ESC}OP`, 0xffbf: `${ESC}OQ`, 0xffc0: `${ESC}OR`, 0xffc1: `${ESC}OS`,
  0xffc2: `${ESC}[15~`, 0xffc3: `${ESC}[17~`, 0xffc4: `${ESC}[18~`, 0xffc5: `${ESC}[19~`,
  0xffc6: `${ESC}[20~`, 0xffc7: `${ESC}[21~`, 0xffc8: `${ESC}[23~`, 0xffc9: `${ESC}[24~`,
  0xffaa: '*', 0xffab: '+', 0xffad: '-', 0xffae: '.', 0xffaf: '/', 0xff80: ' ',
};

/** Keeps the Control state across events; one per client connection. */
export class KeysymTranslator {
  #control = 0;

  /** The bytes for one KeyEvent, or undefined when it types nothing. */
  translate(keysym: number, down: boolean): Uint8Array | undefined {
    if (CONTROL_KEYS.has(keysym)) {
      this.#control = down ? this.#control | (keysym === 0xffe3 ? 1 : 2) : this.#control & ~(keysym === 0xffe3 ? 1 : 2);
      return undefined;
    }
    if (!down) return undefined;
    const text = this.#text(keysym);
    return text === undefined ? undefined : Buffer.from(text, 'latin1');
  }

  #text(keysym: number): string | undefined {
    if (keysym >= 0x20 && keysym <= 0x7e) {
      if (this.#control !== 0 && ((keysym >= 0x40 && keysym <= 0x5f) || (keysym >= 0x61 && keysym <= 0x7a))) return String.fromCharCode(keysym & 0x1f);
      return String.fromCharCode(keysym);
    }
    if (keysym >= 0xffb0 && keysym <= 0xffb9) return String.fromCharCode(0x30 + keysym - 0xffb0);
    return Object.hasOwn(SPECIAL, keysym) ? SPECIAL[keysym] : undefined;
  }
}
