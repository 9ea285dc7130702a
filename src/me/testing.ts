/** Test fixtures shared by the ME, ROM and firmware tests: one key set per process, a default firmware. */
import type { KeyObject } from 'node:crypto';
import { generateRsa2048, toHex } from '../crypto/index.js';
import { keyBlockHash } from './manifest.js';
import { loadManifestDefinition, type ManifestDefinition } from './app-manifest.js';
import { buildFirmwareMeRegion, DEFAULT_PLATFORM_ID, type FirmwareBuildOptions } from './firmware-build.js';

let cached: { signing: KeyObject; other: KeyObject } | undefined;

/** The firmware-signing key and a second (attacker's) key, generated once per process. */
export function testKeys(): { signing: KeyObject; other: KeyObject } {
  cached ??= { signing: generateRsa2048().privateKey, other: generateRsa2048().privateKey };
  return cached;
}

export const TEST_DATE = new Date('2025-01-15T00:00:00Z');
export const REGION_SIZE_8M = 0x2fd000;

export const testDefinition = (): ManifestDefinition => loadManifestDefinition();

/** Fuses matching testKeys().signing (the parts the ROM reads). */
export function testFuses(overrides: Partial<{ firmwareKeyHash: string; platformId: string; svnFloor: number }> = {}): { firmwareKeyHash: string; platformId: string; svnFloor: number } {
  return { firmwareKeyHash: toHex(keyBlockHash(testKeys().signing)), platformId: DEFAULT_PLATFORM_ID, svnFloor: 1, ...overrides };
}

/** A complete 8 MiB-layout ME region signed with testKeys().signing. */
export function testMeRegion(overrides: Partial<FirmwareBuildOptions & { regionSize: number }> = {}): Uint8Array {
  return buildFirmwareMeRegion({ definition: testDefinition(), signingKey: testKeys().signing, date: TEST_DATE, regionSize: REGION_SIZE_8M, ...overrides });
}
