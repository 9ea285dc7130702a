/**
 * The Intel Flash Descriptor IFD v2 (Sunrise Point) binary layout, declared once: the descriptor
 * map, the component, region and master sections, and the register bit fields inside them
 * (brief §1.2–1.4). `descriptor.ts` builds and parses descriptors from these declarations.
 */
import { struct, u32, magic, bits, at } from '../codec/index.js';

/** The descriptor is the first 4 KiB of the image (flash region 0). */
export const DESCRIPTOR_SIZE = 0x1000;
/** FLVALSIG, the "valid descriptor" dword (bytes 5A A5 F0 0F). */
export const FLVALSIG = 0x0ff0a55a;
/** Where the signature sits on every PCH since Ibex Peak (flashrom also accepts 0x0; we do not). */
export const SIGNATURE_OFFSET = 0x10;
/** Offset of FLUMAP1 (ME VSCC table pointer). */
export const FLUMAP1_OFFSET = 0xefc;
/** Region registers interpreted: IFD v2 master bits cover regions 0..11 (8+n read, 20+n write). */
export const REGION_COUNT = 12;
/** Region registers written by the builder (FLREG0..15, the unused ones as 0x00007FFF). */
export const REGION_REGISTERS_WRITTEN = 16;
/** Canonical "unused" FLREG value on IFD v2 (base 0x7FFF > limit 0). */
export const FLREG_UNUSED = 0x00007fff;
/** PCH strap dwords the builder writes as zero (PCHSTRP0..17, brief §1.6). */
export const PCH_STRAP_COUNT = 0x12;

/** Signature and FLMAP0..2 at 0x10 (structure offsets are relative to 0x10). */
export const DescriptorMap = struct('flash descriptor map', {
  flvalsig: magic(u32(), FLVALSIG), // 0x10 valid-descriptor signature
  flmap0: u32(), // 0x14 FCBA, NC, FRBA, NR
  flmap1: u32(), // 0x18 FMBA, NM, FPSBA, PSL
  flmap2: u32(), // 0x1C FMSBA, MSL, ICCRIBA, RIL
});

/** Component section at FCBA (Skylake and later: FLCOMP, FLILL, FLILL1). */
export const ComponentSection = struct('flash descriptor component section', {
  flcomp: u32(), // +0x0 densities and SPI clock frequencies
  flill: u32(), // +0x4 invalid instructions 0..3
  flill1: u32(), // +0x8 invalid instructions 4..7
});

/** Master section at FMBA: FLMSTR1 host, 2 ME, 3 GbE, 4 (unused by ifdtool), 5 EC. */
export const MasterSection = struct('flash descriptor master section', {
  flmstr1: u32(), // +0x00 host CPU / BIOS
  flmstr2: u32(), // +0x04 Intel ME
  flmstr3: u32(), // +0x08 GbE
  flmstr4: u32(), // +0x0C reserved requester (written explicitly: 0xFF bytes would mean "all access")
  flmstr5: u32(), // +0x10 EC
});

/** One region register FLREGn (all FLREGs share this layout). */
export const RegionRegister = struct('flash descriptor region register', { flreg: u32() });
/** One strap dword (PCHSTRPn). */
export const StrapRegister = struct('flash descriptor PCH strap', { strap: u32() });
/** FLUMAP1 at 0xEFC. */
export const UpperMap = struct('flash descriptor upper map', { flumap1: u32() });

export const FLMAP0 = bits('FLMAP0', { fcba: at(0, 8), nc: at(8, 2), frba: at(16, 8), nr: at(24, 3) });
export const FLMAP1 = bits('FLMAP1', { fmba: at(0, 8), nm: at(8, 3), fpsba: at(16, 8), psl: at(24, 8) });
export const FLMAP2 = bits('FLMAP2', { fmsba: at(0, 8), msl: at(8, 8), iccriba: at(16, 8), ril: at(24, 8) });
export const FLCOMP = bits('FLCOMP', {
  comp1Density: at(0, 4), // code: 0 = 512 KiB ... 7 = 64 MiB
  comp2Density: at(4, 4), // 0xF = no second component
  readClock: at(17, 3), // 6 = 17 MHz (flashrom warns on SPT otherwise)
  fastReadSupport: at(20),
  fastReadClock: at(21, 3),
  writeEraseClock: at(24, 3),
  readIdStatusClock: at(27, 3),
  dualOutputFastRead: at(30),
});
/** FLREGn: base and inclusive limit in 4 KiB blocks, 15 bits each on IFD v2. */
export const FLREG = bits('FLREG', { base: at(0, 15), limit: at(16, 15) });
/** FLMSTRn on IFD v2: read bit 8+n and write bit 20+n for region n = 0..11. */
export const FLMSTR = bits('FLMSTR', { extendedRead: at(0, 4), extendedWrite: at(4, 4), read: at(8, 12), write: at(20, 12) });
export const FLUMAP1 = bits('FLUMAP1', { vtba: at(0, 8), vtl: at(8, 8), mdtba: at(24, 8) });
/** PCHSTRP0 bit 16: the "High Assurance Platform" ME-disable strap. */
export const PCHSTRP0 = bits('PCHSTRP0', { hap: at(16) });

/** The SPI clock code for 17 MHz, used for every clock field (brief §1.5). */
export const CLOCK_17MHZ = 6;
/** FLCOMP density code for "no component". */
export const DENSITY_UNUSED = 0xf;
/** Density codes 0..7 = 512 KiB << code. */
export const densityBytes = (code: number): number => 0x80000 * 2 ** code;
