/**
 * What the host says to the engine outside of ordinary HECI traffic, as one interface the
 * platform wires to the real engine: DRAM-init-done with the UMA placement (the engine may page to
 * UMA from then on), End-of-POST (pre-boot-only commands are refused from then on), and every host
 * power change (on a real platform the engine sees SLP_S3#/SLP_S4#/SLP_S5# and PLTRST# from the PMC).
 * On real hardware the first two are MKHI messages the BIOS sends over HECI (research
 * me-internals.md §3.6: GEN group 0xFF, END_OF_POST 0x0C).
 */
import type { PowerChange } from './power.js';

/** Where the BIOS reserved UMA in host DRAM (4 KiB aligned; the top of DRAM by default). */
export interface UmaPlacement {
  readonly base: number;
  readonly size: number;
}

/**
 * The engine's answer to End-of-POST. In coreboot's MKHI reply the engine may ask for a global
 * reset instead of letting the boot continue.
 */
export interface EndOfPostReply {
  readonly requestedAction: 'continue' | 'global-reset';
}

/** The engine as the host sees it. Every method must return promptly; the engine never blocks the host. */
export interface EngineHostPort {
  /**
   * BIOS memory init finished: UMA is at `uma`. Called again after every reset or power-on that
   * runs memory init, with the same placement (the engine must accept the repeat).
   */
  dramInitDone(uma: UmaPlacement): void;
  /** The BIOS is about to hand over to the OS. Undefined or a rejected promise means "continue". */
  endOfPost(): Promise<EndOfPostReply | undefined> | EndOfPostReply | undefined;
  /** The host's power state changed (also called for a reset, S0 → S0). */
  hostPowerChanged(change: PowerChange): void;
}

/** An engine port that ignores everything: a host with no engine (ME disabled). */
export const ABSENT_ENGINE: EngineHostPort = {
  dramInitDone: () => undefined,
  endOfPost: () => undefined,
  hostPowerChanged: () => undefined,
};
