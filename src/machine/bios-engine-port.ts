/**
 * The host's view of the engine, as a real BIOS has it: DRAM-init-done reserves UMA in the host
 * DRAM the engine shares, and End-of-POST is an MKHI message sent over HECI (group GEN 0xFF,
 * command 0x0C) whose reply says whether to continue or reset. Every host power change becomes
 * the engine's `hostPower` platform fact. Never blocks or throws into POST.
 */
import type { Engine } from '../engine/index.js';
import type { MeiHostDriver } from '../heci/index.js';
import { REPORTED_POWER_STATE, type EndOfPostReply, type EngineHostPort, type PowerChange, type UmaPlacement } from '../host/index.js';
import { MkhiHeader, EndOfPostResponse, MKHI_COMMAND, MKHI_RESPONSE_BIT, EOP_ACTION } from '../protocols/mkhi/index.js';
import { MEBX_CLIENT_UUID, type MebxTransport } from '../protocols/mebx/index.js';

export const MKHI_CLIENT_UUID = '8e6a6715-9abc-4043-88ef-9e39c6f63e0f';
const END_OF_POST_TIMEOUT_MS = 3000;

/** End-of-POST request bytes: the MKHI header alone. */
export const endOfPostRequest = (): Uint8Array =>
  MkhiHeader.serialize({ groupId: MKHI_COMMAND.endOfPost.group, command: MKHI_COMMAND.endOfPost.command, reserved: 0, result: 0 });

/** Sends END_OF_POST over HECI like the BIOS and decodes the reply; undefined on any failure. */
export async function sendEndOfPost(driver: MeiHostDriver): Promise<EndOfPostReply | undefined> {
  const file = driver.open();
  try {
    await file.connect(MKHI_CLIENT_UUID);
    file.write(endOfPostRequest());
    const reply = await file.read(END_OF_POST_TIMEOUT_MS);
    const header = MkhiHeader.parse(reply);
    if (header.command !== (MKHI_COMMAND.endOfPost.command | MKHI_RESPONSE_BIT) || header.result !== 0) return undefined;
    const { requestedActions } = EndOfPostResponse.parse(reply, MkhiHeader.size);
    return { requestedAction: requestedActions === EOP_ACTION.globalReset ? 'global-reset' : 'continue' };
  } finally {
    file.close();
  }
}

/** The EngineHostPort of a machine whose engine is `engine` and whose HECI host driver is `driver`. */
export function biosEnginePort(engine: Engine, driver: MeiHostDriver | undefined, onEvent: (kind: string, detail: string) => void): EngineHostPort {
  return {
    dramInitDone(uma: UmaPlacement): void {
      const devices = engine.parts.devices;
      if (!devices) return; // engine down: nothing to reserve for
      const current = devices.uma.region;
      if (current && current.base === uma.base && current.size === uma.size) return; // repeated after a reset
      if (current) {
        onEvent('uma-mismatch', `UMA already at 0x${current.base.toString(16)}; BIOS asked 0x${uma.base.toString(16)}`);
        return;
      }
      devices.uma.reserveUma(uma.base, uma.size);
      onEvent('uma-reserved', `UMA at 0x${uma.base.toString(16)}, ${uma.size} bytes`);
    },
    endOfPost(): Promise<EndOfPostReply | undefined> | undefined {
      return driver ? sendEndOfPost(driver) : undefined;
    },
    hostPowerChanged(change: PowerChange): void {
      onEvent('host-power', JSON.stringify(change));
      engine.parts.facts?.setHostPower(REPORTED_POWER_STATE[change.to]); // the AMT app reports it (CIM PowerState)
      // The host's next POST starts over: End-of-POST is per boot (S3 resume keeps it).
      if (change.action === 'reset' || change.to === 'S4' || change.to === 'S5' || change.to === 'G3') engine.hostReset();
    },
  };
}

/**
 * The MEBX's way to the engine: the BIOS extension opens the MEBX HECI client for each request, as
 * BIOS code does (pre-boot only; the engine refuses it after End-of-POST).
 */
export function heciMebxTransport(driver: MeiHostDriver): MebxTransport {
  return {
    async request(message: Uint8Array): Promise<Uint8Array> {
      const file = driver.open();
      try {
        await file.connect(MEBX_CLIENT_UUID);
        file.write(message);
        return await file.read(END_OF_POST_TIMEOUT_MS);
      } finally {
        file.close();
      }
    },
  };
}
