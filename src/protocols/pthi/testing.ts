/** Test helpers: a PTHI server over a real in-memory NVRAM, request builder and reply reader. */
import { AmtStateStore } from '../../amt-state/index.js';
import { nvramRig, seededRandom } from '../../amt-state/testing.js';
import { PthiHeader, PthiResponseHeader } from './messages.js';
import type { PlatformInfo } from './platform.js';
import { createPthiServer, type PthiServer } from './server.js';

export const TEST_UUID = Uint8Array.from(Buffer.from('4c4c4544003710528035b3c04f4d3132', 'hex'));

export function testPlatform(overrides: Partial<PlatformInfo> = {}): PlatformInfo & { endOfPost: boolean } {
  const platform = {
    endOfPost: false,
    firmware: { version: '16.1.27.2225', sku: 16392, biosVersion: 'VME.BIOS.0001' },
    uuid: TEST_UUID,
    lan: { wired: { enabled: true, ipv4Address: '10.0.0.10', dhcpEnabled: true, dhcpMode: 'active' as const, linkUp: true, mac: Uint8Array.of(2, 0, 0, 0x56, 0x4d, 0x45) } },
    isEndOfPost(): boolean {
      return platform.endOfPost;
    },
    ...overrides,
  };
  return platform;
}

export interface PthiRig {
  readonly server: PthiServer;
  readonly state: AmtStateStore;
  readonly platform: ReturnType<typeof testPlatform>;
  readonly nvram: ReturnType<ReturnType<ReturnType<typeof nvramRig>['mount']>['namespace']>;
  now: number;
}

export async function pthiRig(platform = testPlatform()): Promise<PthiRig> {
  const nvram = nvramRig().mount().namespace('amt');
  const state = await AmtStateStore.open(nvram, { random: seededRandom(11) });
  const rig = { state, platform, nvram, now: 1000 } as { -readonly [K in keyof PthiRig]: PthiRig[K] };
  rig.server = createPthiServer({ state, platform, clock: { now: () => rig.now } });
  return rig;
}

export function request(command: number, body: Uint8Array = new Uint8Array()): Uint8Array {
  const out = new Uint8Array(PthiHeader.size + body.length);
  PthiHeader.serialize({ majorVersion: 1, minorVersion: 1, reserved: 0, command, length: body.length }, out);
  out.set(body, PthiHeader.size);
  return out;
}

/** Reads a reply the way MeshCentral's getCommand does: status at 12, data from 16. */
export function reply(bytes: Uint8Array): { command: number; length: number; status: number; data: Uint8Array } {
  const header = PthiResponseHeader.parse(bytes);
  return { command: header.command, length: header.length, status: header.status, data: bytes.subarray(PthiResponseHeader.size) };
}
