/**
 * The platform's identity facts the kernel hands every app in `PlatformInfo`, computed once at
 * boot and never exposing the fuse device secret:
 * - platform UUID: HMAC-SHA-256 under a key the crypto engine derives from the device secret
 *   (owner `kernel`, label `platform-identity`), first 16 bytes with the RFC 4122 version-4 and
 *   variant bits set, so it is stable per platform, never a sentinel rpc-go refuses, and unrelated
 *   to any app's keys (apps derive under `app:<name>:…`);
 * - MAC address: from the GbE region's NVM (read as the ME master, which the descriptor allows) when
 *   it parses; otherwise derived like the UUID, with the locally-administered bit set;
 * - SKU: corporate when the firmware carries the AMT app (amt), else consumer.
 */
import type { CryptoEngine } from '../devices/index.js';
import { parseGbeRegion, type FlashController } from '../flash/index.js';

export interface PlatformIdentity {
  readonly platformUuid: string;
  readonly macAddress: string;
  readonly macSource: 'gbe' | 'derived';
  readonly sku: 'corporate' | 'consumer';
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Canonical text of 16 bytes (big-endian field order). */
export function formatUuid(bytes: Uint8Array): string {
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export async function platformIdentity(crypto: CryptoEngine, controller: FlashController, apps: readonly string[]): Promise<PlatformIdentity> {
  const session = crypto.session('kernel');
  const key = await session.deriveKey('platform-identity', 'hmac');
  try {
    const uuid = (await session.hmac(key, 'SHA-256', new TextEncoder().encode('vme platform uuid'))).slice(0, 16);
    uuid[6] = ((uuid[6] ?? 0) & 0x0f) | 0x40;
    uuid[8] = ((uuid[8] ?? 0) & 0x3f) | 0x80;
    const gbe = gbeMac(controller);
    const derived = gbe ? undefined : (await session.hmac(key, 'SHA-256', new TextEncoder().encode('vme platform mac'))).slice(0, 6);
    if (derived) derived[0] = ((derived[0] ?? 0) & 0xfc) | 0x02; // unicast, locally administered
    return {
      platformUuid: formatUuid(uuid),
      macAddress: gbe ?? [...(derived ?? [])].map((b) => b.toString(16).padStart(2, '0')).join(':'),
      macSource: gbe ? 'gbe' : 'derived',
      sku: apps.includes('amt') ? 'corporate' : 'consumer',
    };
  } finally {
    session.destroyKey(key);
  }
}

/** The MAC in the GbE region's NVM bank 0, or undefined (no region, no access, bad bank). */
function gbeMac(controller: FlashController): string | undefined {
  try {
    if (!controller.isAllowed('me', 'gbe', 'read')) return undefined;
    const region = controller.region('gbe');
    return parseGbeRegion(controller.read('me', 'gbe', 0, Math.min(region.size, 0x1000)), region.base).mac;
  } catch {
    return undefined;
  }
}
