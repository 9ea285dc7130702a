/**
 * Flash region and master names of IFD v2 (brief §1.3–1.4), shared by the descriptor, the flash
 * controller and the CLI. Region names follow flashrom's layout names (`flashrom --ifd -i NAME`).
 */

/** Region names by FLREG index 0..11 (flashrom's names; 5/7/9 have no fixed use on Sunrise Point). */
export const REGION_NAMES = ['fd', 'bios', 'me', 'gbe', 'pd', 'reg5', 'bios2', 'reg7', 'ec', 'reg9', 'ie', '10gbe'] as const;
export type RegionName = (typeof REGION_NAMES)[number];

/** FMAP area names `ifdtool -t` compares with the descriptor regions. */
export const FMAP_AREA_FOR_REGION: Partial<Record<RegionName, string>> = { fd: 'SI_DESC', bios: 'SI_BIOS', me: 'SI_ME', gbe: 'SI_GBE', pd: 'SI_PDR', ec: 'SI_EC' };

/** Requesters with a master-access register: FLMSTR1 host, 2 ME, 3 GbE, 5 EC. */
export const MASTER_NAMES = ['host', 'me', 'gbe', 'ec'] as const;
export type Master = (typeof MASTER_NAMES)[number];

/** The FLMSTR register (1-based, as in ifdtool's output) of each master. */
export const MASTER_REGISTER: Record<Master, 'flmstr1' | 'flmstr2' | 'flmstr3' | 'flmstr5'> = { host: 'flmstr1', me: 'flmstr2', gbe: 'flmstr3', ec: 'flmstr5' };

export const regionIndex = (name: RegionName): number => REGION_NAMES.indexOf(name);

export function isRegionName(text: string): text is RegionName {
  return (REGION_NAMES as readonly string[]).includes(text);
}

export function isMaster(text: string): text is Master {
  return (MASTER_NAMES as readonly string[]).includes(text);
}
