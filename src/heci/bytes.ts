/**
 * Small byte buffers for the hot path. Fresh `Uint8Array`s each allocate an ArrayBuffer, which is
 * slow for the many small fragments the bus moves; these come from Node's shared buffer pool
 * instead, but as plain `Uint8Array`s (so `.slice()` keeps meaning "copy", unlike Buffer's).
 */

/** `length` bytes, contents unspecified: the caller overwrites all of them. */
export function allocate(length: number): Uint8Array {
  const pooled = Buffer.allocUnsafe(length);
  return new Uint8Array(pooled.buffer, pooled.byteOffset, length);
}

/** A private copy of `data` (what a receiver keeps must not alias a buffer someone else reuses). */
export function copyBytes(data: Uint8Array): Uint8Array {
  const copy = allocate(data.length);
  copy.set(data);
  return copy;
}

/** The concatenation of `parts` (`total` bytes); a single part is returned as is. */
export function joinBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const out = allocate(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
