/**
 * The SPI flash controller model: every read, write and erase names a master and a region and is
 * allowed or refused exactly per that master's FLMSTR bits (IFD v2: read 8+n, write 20+n; erase
 * needs write). With the descriptor-override strap set, the host may read and write every region
 * (flashrom: "Restrictions implied by the Master Section ... are NOT in effect"); the other masters
 * stay bound by their FLMSTR. The descriptor is read at construction and again after any write or
 * erase of the descriptor region.
 *
 * API:
 *   new FlashController(backing, { strapOverride? })
 *   .descriptor / .strapOverride / .reloadDescriptor()
 *   .isAllowed(master, region, op): boolean
 *   .read(master, region, offset, length): Uint8Array
 *   .write(master, region, offset, data): void
 *   .erase(master, region, offset, length): void      (4 KiB sector-aligned)
 *   .region(name) / .regionAddress(name, offset) / .regionAt(address)
 * Offsets are relative to the region. Refusals throw FlashAccessDenied; missing regions and
 * out-of-range or misaligned accesses throw FlashRangeError.
 */
import { DecodeError } from '../codec/index.js';
import { parseDescriptor, findRegion, DESCRIPTOR_SIZE, type Descriptor, type FlashRegion } from './descriptor.js';
import { FLMSTR } from './descriptor-layout.js';
import { regionIndex, MASTER_REGISTER, type Master, type RegionName } from './regions.js';
import { checkSectorAligned, type FlashBacking } from './backing.js';
import { FlashAccessDenied, FlashRangeError, type FlashOperation } from './errors.js';

export interface FlashControllerOptions {
  /** The descriptor-override pin strap, sampled at reset (HSFS.FDOPSS = 0). */
  readonly strapOverride?: boolean;
}

export class FlashController {
  readonly strapOverride: boolean;
  #descriptor: Descriptor | undefined;
  #descriptorError: DecodeError | undefined;

  /** @throws DecodeError when the backing does not start with a valid descriptor. */
  constructor(readonly backing: FlashBacking, options: FlashControllerOptions = {}) {
    this.strapOverride = options.strapOverride ?? false;
    this.reloadDescriptor();
    if (this.#descriptorError) throw this.#descriptorError;
  }

  /** The descriptor in effect. @throws DecodeError if the descriptor region was overwritten with garbage. */
  get descriptor(): Descriptor {
    if (!this.#descriptor) throw this.#descriptorError ?? new Error('descriptor not loaded');
    return this.#descriptor;
  }

  /** Re-read the descriptor from flash (as the chipset does at reset). */
  reloadDescriptor(): void {
    try {
      const bytes = this.backing.read(0, Math.min(DESCRIPTOR_SIZE, this.backing.size));
      this.#descriptor = parseDescriptor(bytes, { imageSize: this.backing.size });
      this.#descriptorError = undefined;
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      this.#descriptor = undefined;
      this.#descriptorError = err;
    }
  }

  region(name: RegionName): FlashRegion {
    return findRegion(this.descriptor, name);
  }

  /** Absolute flash address of `offset` inside a region (offset may equal the region size). */
  regionAddress(name: RegionName, offset = 0): number {
    const region = this.region(name);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > region.size) {
      throw new FlashRangeError(`offset 0x${offset.toString(16)} is outside region ${name} (0x${region.size.toString(16)} bytes)`, { region: name, offset });
    }
    return region.base + offset;
  }

  /** The used region containing an absolute address, if any. */
  regionAt(address: number): FlashRegion | undefined {
    return this.descriptor.regions.find((r) => r.used && r.base <= address && address <= r.limit);
  }

  isAllowed(master: Master, region: RegionName, operation: FlashOperation): boolean {
    return this.#denialReason(master, region, operation) === undefined;
  }

  read(master: Master, region: RegionName, offset: number, length: number): Uint8Array {
    return this.backing.read(this.#authorize(master, region, 'read', offset, length), length);
  }

  write(master: Master, region: RegionName, offset: number, data: Uint8Array): void {
    this.backing.write(this.#authorize(master, region, 'write', offset, data.length), data);
    if (region === 'fd') this.reloadDescriptor();
  }

  erase(master: Master, region: RegionName, offset: number, length: number): void {
    const address = this.#authorize(master, region, 'erase', offset, length);
    checkSectorAligned(address, length);
    this.backing.erase(address, length);
    if (region === 'fd') this.reloadDescriptor();
  }

  /** Check region, permission and bounds; return the absolute address. */
  #authorize(master: Master, region: RegionName, operation: FlashOperation, offset: number, length: number): number {
    const r = this.region(region);
    const reason = this.#denialReason(master, region, operation);
    if (reason !== undefined) throw new FlashAccessDenied(master, region, operation, reason);
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > r.size) {
      throw new FlashRangeError(`${operation} 0x${offset.toString(16)}+0x${length.toString(16)} is outside region ${region} (0x${r.size.toString(16)} bytes)`, {
        master, region, operation, offset, length, regionSize: r.size,
      });
    }
    return r.base + offset;
  }

  #denialReason(master: Master, region: RegionName, operation: FlashOperation): string | undefined {
    if (master === 'host' && this.strapOverride) return undefined;
    const access = this.descriptor.masters[master];
    const index = regionIndex(region);
    const field = operation === 'read' ? 'read' : 'write';
    if ((FLMSTR.get(access.raw, field) >>> index) & 1) return undefined;
    const bit = (field === 'read' ? 8 : 20) + index;
    const register = MASTER_REGISTER[master].toUpperCase();
    return `${register} = 0x${access.raw.toString(16).padStart(8, '0')} has ${field} bit ${bit} (region ${index}) clear${operation === 'erase' ? ' (erase needs write access)' : ''}`;
  }
}
