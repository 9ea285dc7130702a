/**
 * A plausible Intel GbE NVM region: bank 0 holds the 64-word NVM image (MAC address in words 0–2,
 * valid-bank signature 10b in word 0x13 bits 15:14, checksum word 0x3F making the sum of words
 * 0x00–0x3F equal 0xBABA); everything else is erased. Not a full I219 configuration.
 *
 * API: buildGbeRegion({ mac?, size? }): Uint8Array  /  parseGbeRegion(bytes, base?): GbeInfo
 */
import { struct, u16, bytes, DecodeError } from '../codec/index.js';

export const GBE_CHECKSUM_TARGET = 0xbaba;
export const GBE_REGION_SIZE = 0x2000;
/** Locally administered, unicast: 02:00:00:56:4d:45 ("VME"). */
export const DEFAULT_MAC = Uint8Array.from([0x02, 0x00, 0x00, 0x56, 0x4d, 0x45]);
const SIGNATURE_VALID = 0b10;

export const GbeNvm = struct('GbE NVM bank', {
  macAddress: bytes(6), // word 0x00–0x02
  compatibility: u16(), // word 0x03
  reserved04: u16(), // word 0x04
  imageVersion: u16(), // word 0x05 (UEFITool prints it)
  words06To12: bytes(26), // words 0x06–0x12
  initControl: u16(), // word 0x13, bits 15:14 = 10b: bank valid
  words14To3E: bytes(86), // words 0x14–0x3E
  checksum: u16(), // word 0x3F
});

export interface GbeInfo {
  readonly mac: string;
  readonly imageVersion: number;
}

const wordSum = (nvm: Uint8Array): number => {
  let sum = 0;
  for (let i = 0; i < GbeNvm.size; i += 2) sum = (sum + ((nvm[i] ?? 0) | ((nvm[i + 1] ?? 0) << 8))) & 0xffff;
  return sum;
};

export function buildGbeRegion(options: { mac?: Uint8Array; size?: number } = {}): Uint8Array {
  const size = options.size ?? GBE_REGION_SIZE;
  const mac = options.mac ?? DEFAULT_MAC;
  if (mac.length !== 6) throw new RangeError(`a MAC address has 6 bytes, got ${mac.length}`);
  const out = new Uint8Array(size).fill(0xff);
  const nvm = GbeNvm.defaults({
    macAddress: mac, imageVersion: 0x0100, initControl: SIGNATURE_VALID << 14,
    words06To12: new Uint8Array(26).fill(0xff), words14To3E: new Uint8Array(86).fill(0xff),
  });
  const image = GbeNvm.serialize(nvm);
  nvm.checksum = (GBE_CHECKSUM_TARGET - wordSum(image) + 0x10000) & 0xffff;
  GbeNvm.serialize(nvm, out, 0);
  return out;
}

/** Check bank 0 (signature and 0xBABA sum). @throws DecodeError */
export function parseGbeRegion(region: Uint8Array, base = 0): GbeInfo {
  const nvm = GbeNvm.parse(region, 0, base);
  if (nvm.initControl >>> 14 !== SIGNATURE_VALID) {
    throw new DecodeError({ structure: 'GbE NVM bank', field: 'initControl', offset: base + GbeNvm.offsetOf('initControl'), reason: 'bank signature not valid', expected: '10b in bits 15:14', actual: (nvm.initControl >>> 14).toString(2).padStart(2, '0') + 'b' });
  }
  const sum = wordSum(region.subarray(0, GbeNvm.size));
  if (sum !== GBE_CHECKSUM_TARGET) {
    throw new DecodeError({ structure: 'GbE NVM bank', field: 'checksum', offset: base + GbeNvm.offsetOf('checksum'), reason: 'bad checksum', expected: 'word sum 0xBABA', actual: `0x${sum.toString(16).toUpperCase()}` });
  }
  return { mac: [...nvm.macAddress].map((b) => b.toString(16).padStart(2, '0')).join(':'), imageVersion: nvm.imageVersion };
}
