/**
 * Reply MessageIDs as AMT writes them: `uuid:00000000-8086-8086-8086-` + 12 upper-case hex digits
 * of one per-device counter (brief §2.3, every GWM sample; §9 "one counter per device").
 */
export class MessageIdCounter {
  #next: number;

  constructor(start = 1) {
    this.#next = start;
  }

  next(): string {
    const value = this.#next;
    this.#next = value >= 0xffff_ffff_ffff ? 1 : value + 1;
    return `uuid:00000000-8086-8086-8086-${value.toString(16).toUpperCase().padStart(12, '0')}`;
  }
}
