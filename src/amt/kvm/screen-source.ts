/**
 * Where KVM gets the host's screen and sends its keys and pointer events: a `ScreenSource`. Two
 * implementations: a `Host` in the same process (its TextScreen, Keyboard and optional pointer), and
 * the engine's `host:framebuffer` capability (snapshot, key and pointer syscalls), which is how an
 * engine app such as AMT sees the host.
 */
import type { CursorPosition, TextScreen } from '../../host/framebuffer.js';
import type { PointerEvent } from '../../host/pointer.js';
import { readCells } from '../../host/screen-render.js';

export interface ScreenFrame {
  readonly changeCount: number;
  readonly columns: number;
  readonly rows: number;
  readonly cursor: CursorPosition;
  /** character | attribute << 8 per cell, row-major. */
  readonly cells: Uint16Array;
}

export interface ScreenSource {
  /** The screen now, or undefined when its change count is still `since`. */
  frame(since: number): ScreenFrame | undefined | Promise<ScreenFrame | undefined>;
  /** Types bytes on the host keyboard. */
  press(keys: Uint8Array): unknown;
  /** A pointer event (pixel x, y on the 640×400 picture, RFB button mask); absent when the host has no pointer. */
  pointer?(event: PointerEvent): unknown;
}

/** A host in this process. */
export function hostScreenSource(host: { readonly screen: TextScreen; readonly keyboard: { press(keys: Uint8Array): number }; pointer?(event: PointerEvent): boolean }): ScreenSource {
  return {
    ...(host.pointer ? { pointer: (event: PointerEvent) => host.pointer?.(event) } : {}),
    frame(since) {
      const { screen } = host;
      if (screen.changeCount === since) return undefined;
      return { changeCount: screen.changeCount, columns: screen.columns, rows: screen.rows, cursor: screen.cursor, cells: readCells(screen) };
    },
    press: (keys) => host.keyboard.press(keys),
  };
}

/** The raw syscall an engine app holds (`AppContext.invoke`). */
export type Invoke = (capability: string, operation: string, args: unknown) => Promise<unknown>;

interface SnapshotReply { changed: boolean; changeCount: number; columns: number; rows: number; cursorRow: number; cursorColumn: number; cells: Uint8Array }

/** The host as an engine app sees it through `host:framebuffer` (grant hostControl 'framebuffer'); the syscall clamps nothing: RfbServer's events are inside the picture. */
export function engineScreenSource(invoke: Invoke): ScreenSource {
  return {
    async frame(since) {
      const reply = (await invoke('host:framebuffer', 'snapshot', { since })) as SnapshotReply;
      if (!reply.changed || reply.cells.length !== reply.columns * reply.rows * 2) return undefined;
      const view = new DataView(reply.cells.buffer, reply.cells.byteOffset, reply.cells.byteLength);
      const cells = Uint16Array.from({ length: reply.columns * reply.rows }, (_, index) => view.getUint16(index * 2, true));
      return { changeCount: reply.changeCount, columns: reply.columns, rows: reply.rows, cursor: { row: reply.cursorRow, column: reply.cursorColumn }, cells };
    },
    press: (keys) => invoke('host:framebuffer', 'key', { keys: keys.subarray(0, 64) }),
    pointer: ({ x, y, buttons }) => invoke('host:framebuffer', 'pointer', { x, y, buttons }),
  };
}
