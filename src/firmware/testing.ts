/**
 * Test fixtures for firmware updates: packages signed with the test keys, an in-memory flash
 * controller over an image, and booting image bytes with the ROM (descriptor → ME region → ROM).
 */
import { createPublicKey } from 'node:crypto';
import { FlashController, MemoryBacking, FaultInjectingBacking, parseDescriptor, findRegion, type FaultOptions } from '../flash/index.js';
import { romBoot, type RomBootResult, type RomFuses } from '../rom/index.js';
import { testDefinition, testKeys, TEST_DATE } from '../me/testing.js';
import type { FirmwareVersion } from '../me/manifest.js';
import type { DevelopmentKeys } from '../platform/keys.js';
import { testDevelopmentKeys } from '../image/testing.js';
import { packFirmware, type PackOptions } from './pack.js';

/** The version testPlatform() ships (DEFAULT_VERSION) and the one test packages carry. */
export const OLD_VERSION_TEXT = '1.0.0.1';
export const NEW_VERSION: FirmwareVersion = { major: 1, minor: 1, hotfix: 0, build: 2 };
export const NEW_VERSION_TEXT = '1.1.0.2';

/** A package signed with the test firmware key (new version, SVN 1, no floor raise unless overridden). */
export function testPackage(overrides: Partial<PackOptions> = {}): Uint8Array {
  return packFirmware({ keys: testDevelopmentKeys(), definition: testDefinition(), version: NEW_VERSION, svn: 1, raiseSvnFloor: false, date: TEST_DATE, ...overrides });
}

/** Development keys whose firmware-signing key is the attacker's (testKeys().other). */
export function attackerKeys(): DevelopmentKeys {
  const { other } = testKeys();
  return { ...testDevelopmentKeys(), firmwareSigning: { privateKey: other, publicKey: createPublicKey(other) } };
}

export interface MemoryFlash {
  memory: MemoryBacking;
  controller: FlashController;
  fault?: FaultInjectingBacking;
}

/** A flash controller over a copy of `image`, optionally cutting the power per `fault`. */
export function memoryFlash(image: Uint8Array, fault?: FaultOptions): MemoryFlash {
  const memory = new MemoryBacking(image);
  if (!fault) return { memory, controller: new FlashController(memory) };
  const injector = new FaultInjectingBacking(memory, fault);
  return { memory, controller: new FlashController(injector), fault: injector };
}

/** Boot whole-image bytes the way the platform does at reset. */
export function bootImageBytes(image: Uint8Array, fuses: RomFuses): RomBootResult {
  const me = findRegion(parseDescriptor(image), 'me');
  return romBoot(image.subarray(me.base, me.base + me.size), fuses, { regionBase: me.base });
}

export const versionOf = (boot: RomBootResult): string | null =>
  boot.firmware ? `${boot.firmware.version.major}.${boot.firmware.version.minor}.${boot.firmware.version.hotfix}.${boot.firmware.version.build}` : null;
