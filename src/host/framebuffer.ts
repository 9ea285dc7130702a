/**
 * The host's text-mode framebuffer: VGA mode 3, 80×25 cells, each a 16-bit word of character code
 * (low byte) and attribute (high byte: background << 4 | foreground), plus a cursor. Writes are
 * teletype-style (newline, carriage return, backspace, tab, scrolling). A change counter and a
 * dirty rectangle are the seam for KVM later: an RFB encoder sends only what changed since it last
 * looked. `render()` gives plain text for tests and for `vme up`.
 */

export const TEXT_COLUMNS = 80;
export const TEXT_ROWS = 25;
/** Light grey on black, the BIOS default. */
export const DEFAULT_ATTRIBUTE = 0x07;

/** Cells changed since the last `takeDirty()`: rows [top, bottom) × columns [left, right). */
export interface DirtyRectangle {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

export interface CursorPosition {
  readonly row: number;
  readonly column: number;
}

/** The outside view of a screen: what KVM or a display reads (a QEMU adapter can offer it too). */
export interface TextScreen {
  readonly columns: number;
  readonly rows: number;
  /** Increases on every change; equal counters mean an identical screen. */
  readonly changeCount: number;
  readonly cursor: CursorPosition;
  /** The character (as text) and attribute at a cell. @throws RangeError outside the screen. */
  cell(row: number, column: number): { readonly character: string; readonly attribute: number };
  /** The screen as 25 lines of text, trailing spaces trimmed. */
  render(): string;
  /** The rectangle changed since the last call, or undefined; resets the tracking. */
  takeDirty(): DirtyRectangle | undefined;
}

/** A copy of the whole framebuffer state. */
export interface FramebufferSnapshot {
  readonly cells: Uint16Array;
  readonly cursor: CursorPosition;
  readonly attribute: number;
}

const SPACE = 0x20;

export class TextFramebuffer implements TextScreen {
  readonly columns = TEXT_COLUMNS;
  readonly rows = TEXT_ROWS;
  readonly #cells = new Uint16Array(TEXT_COLUMNS * TEXT_ROWS);
  #row = 0;
  #column = 0;
  #attribute = DEFAULT_ATTRIBUTE;
  #changeCount = 0;
  #dirty: DirtyRectangle | undefined;

  constructor() {
    this.#cells.fill(blank(DEFAULT_ATTRIBUTE));
  }

  get changeCount(): number {
    return this.#changeCount;
  }

  get cursor(): CursorPosition {
    return { row: this.#row, column: this.#column };
  }

  /** Attribute used by later writes. */
  setAttribute(attribute: number): void {
    this.#attribute = attribute & 0xff;
  }

  cell(row: number, column: number): { character: string; attribute: number } {
    if (!this.#inside(row, column)) throw new RangeError(`cell (${row}, ${column}) is outside the ${this.rows}×${this.columns} screen`);
    const word = this.#cells[row * this.columns + column] ?? 0;
    return { character: characterOf(word & 0xff), attribute: word >> 8 };
  }

  render(): string {
    const lines: string[] = [];
    for (let row = 0; row < this.rows; row++) {
      let line = '';
      for (let column = 0; column < this.columns; column++) line += characterOf((this.#cells[row * this.columns + column] ?? 0) & 0xff);
      lines.push(line.trimEnd());
    }
    return lines.join('\n');
  }

  takeDirty(): DirtyRectangle | undefined {
    const dirty = this.#dirty;
    this.#dirty = undefined;
    return dirty;
  }

  /** Blanks the screen and homes the cursor. */
  clear(): void {
    this.#cells.fill(blank(this.#attribute));
    this.#row = 0;
    this.#column = 0;
    this.#changed(0, 0, this.rows, this.columns);
  }

  /** Moves the cursor (clamped to the screen). */
  setCursor(row: number, column: number): void {
    this.#row = clamp(row, this.rows - 1);
    this.#column = clamp(column, this.columns - 1);
    this.#changeCount++;
  }

  /** Writes text at a position without moving the cursor or scrolling; clipped at the right edge. */
  putText(row: number, column: number, text: string, attribute: number = this.#attribute): void {
    if (!this.#inside(row, column)) throw new RangeError(`text position (${row}, ${column}) is outside the screen`);
    const length = Math.min(text.length, this.columns - column);
    for (let index = 0; index < length; index++) this.#set(row, column + index, text.charCodeAt(index), attribute);
    if (length > 0) this.#changed(row, column, row + 1, column + length);
  }

  /** Teletype output at the cursor: \n new line, \r column 0, \b back, \t to the next tab stop (without erasing), wrap and scroll. */
  write(text: string, attribute: number = this.#attribute): void {
    for (const character of text) this.#writeCharacter(character, attribute);
  }

  snapshot(): FramebufferSnapshot {
    return { cells: this.#cells.slice(), cursor: this.cursor, attribute: this.#attribute };
  }

  /** @throws RangeError when the snapshot is not of an 80×25 screen. */
  restore(snapshot: FramebufferSnapshot): void {
    if (snapshot.cells.length !== this.#cells.length) throw new RangeError(`framebuffer snapshot has ${snapshot.cells.length} cells, not ${this.#cells.length}`);
    this.#cells.set(snapshot.cells);
    this.#attribute = snapshot.attribute;
    this.setCursor(snapshot.cursor.row, snapshot.cursor.column);
    this.#changed(0, 0, this.rows, this.columns);
  }

  #writeCharacter(character: string, attribute: number): void {
    if (character === '\n') return this.#newLine();
    if (character === '\r') return this.setCursor(this.#row, 0);
    if (character === '\b') return this.setCursor(this.#row, Math.max(0, this.#column - 1));
    if (character === '\t') return this.setCursor(this.#row, Math.min(this.columns - 1, this.#column + 8 - (this.#column % 8)));
    if (this.#column >= this.columns) this.#newLine();
    this.#set(this.#row, this.#column, character.codePointAt(0) ?? SPACE, attribute);
    this.#changed(this.#row, this.#column, this.#row + 1, this.#column + 1);
    this.#column++;
  }

  #newLine(): void {
    this.#column = 0;
    if (this.#row < this.rows - 1) {
      this.#row++;
      this.#changeCount++;
      return;
    }
    this.#cells.copyWithin(0, this.columns);
    this.#cells.fill(blank(this.#attribute), (this.rows - 1) * this.columns);
    this.#changed(0, 0, this.rows, this.columns);
  }

  #set(row: number, column: number, code: number, attribute: number): void {
    const byte = code >= 0x20 && code < 0x7f ? code : 0x3f; // printable ASCII only; anything else shows as '?'
    this.#cells[row * this.columns + column] = ((attribute & 0xff) << 8) | byte;
  }

  #changed(top: number, left: number, bottom: number, right: number): void {
    this.#changeCount++;
    const dirty = this.#dirty;
    this.#dirty = dirty
      ? { top: Math.min(top, dirty.top), left: Math.min(left, dirty.left), bottom: Math.max(bottom, dirty.bottom), right: Math.max(right, dirty.right) }
      : { top, left, bottom, right };
  }

  #inside(row: number, column: number): boolean {
    return Number.isInteger(row) && Number.isInteger(column) && row >= 0 && column >= 0 && row < this.rows && column < this.columns;
  }
}

function blank(attribute: number): number {
  return ((attribute & 0xff) << 8) | SPACE;
}

function characterOf(code: number): string {
  return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : ' ';
}

function clamp(value: number, maximum: number): number {
  return Math.max(0, Math.min(maximum, Math.trunc(value)));
}
