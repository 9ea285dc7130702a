/** Reading and writing platform files (image, fuses) with typed I/O errors and atomic replacement. */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { VmeError } from '../common/errors.js';

/** Largest image vme reads (IFD v2 reaches 128 MiB; real parts ship 8–64 MiB). */
export const MAX_IMAGE_BYTES = 128 * 1024 * 1024;

/** Read a flash image file; refuses non-files and oversized files before reading them. */
export function readImageFile(path: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new VmeError('VME_ERR_IO', `${path} is not a regular file`, { path });
    size = st.size;
  } catch (err) {
    if (err instanceof VmeError) throw err;
    throw new VmeError('VME_ERR_IO', `cannot read image ${path}: ${(err as Error).message}`, { path });
  }
  if (size > MAX_IMAGE_BYTES) {
    throw new VmeError('VME_ERR_DECODE', `image ${path} is ${size} bytes, larger than the ${MAX_IMAGE_BYTES}-byte maximum`, { path, size });
  }
  return new Uint8Array(readFileSync(path));
}

/** Write `data` to `path` atomically: temp file in the same directory, fsync, rename, fsync dir. */
export function writeFileAtomic(path: string, data: Uint8Array, mode = 0o644): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w', mode);
    try {
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done, data.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    const dirFd = openSync(dirname(path), 'r');
    try { fsyncSync(dirFd); } finally { closeSync(dirFd); }
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* the temp file may not exist */ }
    throw new VmeError('VME_ERR_IO', `cannot write ${path}: ${(err as Error).message}`, { path });
  }
}
