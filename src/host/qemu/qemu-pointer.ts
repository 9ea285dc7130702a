/**
 * KVM pointer events → QMP `input-send-event` events for the QEMU host: the position as absolute
 * axes (the 640×400 picture scaled to QEMU's 0..32767, as QEMU's own VNC server scales) for the
 * virtio tablet qemu-args.ts adds, and one `btn` event per button whose state changed since the last
 * event. RFB mask bits 0..4 are left, middle, right, wheel up, wheel down; higher bits are ignored.
 */
import { clampPointer, POINTER_HEIGHT, POINTER_WIDTH, type PointerEvent } from '../pointer.js';

/** QMP InputButton names by RFB button-mask bit. */
export const QMP_BUTTONS = ['left', 'middle', 'right', 'wheel-up', 'wheel-down'] as const;
const QMP_AXIS_MAX = 0x7fff;

export type QmpInputEvent =
  | { readonly type: 'abs'; readonly data: { readonly axis: 'x' | 'y'; readonly value: number } }
  | { readonly type: 'btn'; readonly data: { readonly button: (typeof QMP_BUTTONS)[number]; readonly down: boolean } };

/** The `events` argument of input-send-event for `event` when the buttons held were `previousButtons`. */
export function qmpPointerEvents(previousButtons: number, event: PointerEvent): QmpInputEvent[] {
  const { x, y, buttons } = clampPointer(event);
  const events: QmpInputEvent[] = [
    { type: 'abs', data: { axis: 'x', value: Math.round((x * QMP_AXIS_MAX) / (POINTER_WIDTH - 1)) } },
    { type: 'abs', data: { axis: 'y', value: Math.round((y * QMP_AXIS_MAX) / (POINTER_HEIGHT - 1)) } },
  ];
  QMP_BUTTONS.forEach((button, bit) => {
    const down = (buttons >> bit) & 1;
    if (down !== ((previousButtons >> bit) & 1)) events.push({ type: 'btn', data: { button, down: down === 1 } });
  });
  return events;
}
