/**
 * Typed characters → QEMU key codes (QKeyCode names for QMP `send-key`), US layout: what the
 * `Host.keyboard.press` seam sends to the VM (KVM key events, the MEBX hotkey Ctrl-P). Characters
 * without a key (non-ASCII) are skipped.
 */

const SHIFTED: Readonly<Record<string, string>> = {
  '!': '1', '@': '2', '#': '3', $: '4', '%': '5', '^': '6', '&': '7', '*': '8', '(': '9', ')': '0',
  _: 'minus', '+': 'equal', '{': 'bracket_left', '}': 'bracket_right', '|': 'backslash', ':': 'semicolon',
  '"': 'apostrophe', '<': 'comma', '>': 'dot', '?': 'slash', '~': 'grave_accent',
};

const PLAIN: Readonly<Record<string, string>> = {
  ' ': 'spc', '\r': 'ret', '\n': 'ret', '\t': 'tab', '\b': 'backspace', '\x7f': 'backspace', '\x1b': 'esc',
  '-': 'minus', '=': 'equal', '[': 'bracket_left', ']': 'bracket_right', '\\': 'backslash', ';': 'semicolon',
  "'": 'apostrophe', ',': 'comma', '.': 'dot', '/': 'slash', '`': 'grave_accent',
};

/** The keys pressed together for one character, or undefined when it has none. */
export function qcodesFor(character: string): string[] | undefined {
  if (/^[a-z0-9]$/.test(character)) return [character];
  if (/^[A-Z]$/.test(character)) return ['shift', character.toLowerCase()];
  const plain = PLAIN[character];
  if (plain) return [plain];
  const shifted = SHIFTED[character];
  if (shifted) return ['shift', shifted];
  const code = character.charCodeAt(0);
  if (character.length === 1 && code >= 1 && code <= 26) return ['ctrl', String.fromCharCode(0x60 + code)]; // Ctrl-A … Ctrl-Z
  return undefined;
}
