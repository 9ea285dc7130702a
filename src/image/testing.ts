/** Test fixtures for whole platforms: development keys from the shared test key set, a built 8 MiB platform. */
import { createPublicKey } from 'node:crypto';
import type { DevelopmentKeys } from '../platform/keys.js';
import { testKeys, testDefinition, TEST_DATE } from '../me/testing.js';
import { buildPlatform, type BuiltPlatform, type PlatformBuildOptions } from './build.js';

/** DevelopmentKeys over testKeys(): `signing` signs firmware, `other` plays the OEM key. */
export function testDevelopmentKeys(): DevelopmentKeys {
  const { signing, other } = testKeys();
  return {
    dir: '(in memory)',
    firmwareSigning: { privateKey: signing, publicKey: createPublicKey(signing) },
    oem: { privateKey: other, publicKey: createPublicKey(other) },
  };
}

/** A complete platform (8 MiB image + fuses) signed with the test keys. */
export function testPlatform(overrides: Partial<PlatformBuildOptions> = {}): BuiltPlatform {
  return buildPlatform({ sizeBytes: 8 * 1024 * 1024, keys: testDevelopmentKeys(), definition: testDefinition(), date: TEST_DATE, ...overrides });
}
