/** EFI GUIDs: text form `XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX` <-> the 16 stored bytes (first three groups little-endian). */

const GUID_TEXT = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;

export function guidToBytes(text: string): Uint8Array {
  const m = GUID_TEXT.exec(text);
  if (!m) throw new RangeError(`not a GUID: ${text}`);
  const [, a = '', b = '', c = '', d = '', e = ''] = m;
  const le = (hexText: string): number[] => [...Buffer.from(hexText, 'hex')].reverse();
  return Uint8Array.from([...le(a), ...le(b), ...le(c), ...Buffer.from(d + e, 'hex')]);
}

export function guidToText(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`a GUID has 16 bytes, got ${bytes.length}`);
  const hexOf = (from: number, to: number, reverse: boolean): string => {
    const part = [...bytes.subarray(from, to)];
    return Buffer.from(reverse ? part.reverse() : part).toString('hex');
  };
  return [hexOf(0, 4, true), hexOf(4, 6, true), hexOf(6, 8, true), hexOf(8, 10, false), hexOf(10, 16, false)].join('-').toUpperCase();
}
