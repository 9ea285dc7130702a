/**
 * MKHI messages the app answers for the host (the HECI bus calls `onHostMessage` with the bytes
 * of one message to the MKHI client). Header and command numbers: coreboot
 * src/soc/intel/common/block/include/intelblocks/cse.h (shared/research me-internals.md §3.6).
 * This issue answers GEN GET_FW_VERSION; the host-interface issue adds the rest.
 */
import { struct, u8, u16 } from '../../codec/index.js';
import { AppError } from '../../kernel/app-api.js';

/** MKHI header, 4 bytes. */
export const MkhiHeader = struct('MKHI header', {
  groupId: u8(), // 0x00
  command: u8(), // 0x01 bits 0-6 command, bit 7 is_response
  reserved: u8(), // 0x02
  result: u8(), // 0x03 0 = success
});

/** One firmware version as GET_FW_VERSION reports it (minor first). */
export const MkhiVersion = struct('MKHI version', {
  minor: u16(), // 0x00
  major: u16(), // 0x02
  build: u16(), // 0x04
  hotfix: u16(), // 0x06
});

export const MKHI_GROUP = { cbm: 0x00, fwcaps: 0x03, hmrfpo: 0x05, bupCommon: 0xf0, gen: 0xff } as const;
export const MKHI_GEN_COMMAND = { getFwVersion: 0x02, setMeEnable: 0x03, endOfPost: 0x0c, featureShipmentOverride: 0x14 } as const;
const RESPONSE = 0x80;

/** `major.minor.hotfix.build` → the MKHI version fields. */
export function parseVersion(text: string): { major: number; minor: number; hotfix: number; build: number } {
  const [major = 0, minor = 0, hotfix = 0, build = 0] = text.split('.').map((part) => Number.parseInt(part, 10) & 0xffff);
  return { major, minor, hotfix, build };
}

/** Answers one MKHI request. @throws AppError unsupported-command / malformed */
export function answerMkhi(request: Uint8Array, firmwareVersion: string): Uint8Array {
  if (request.length < MkhiHeader.size) throw new AppError('malformed', `MKHI message of ${request.length} bytes is shorter than its header`);
  const header = MkhiHeader.parse(request);
  if (header.groupId === MKHI_GROUP.gen && (header.command & 0x7f) === MKHI_GEN_COMMAND.getFwVersion) {
    const version = MkhiVersion.serialize(parseVersion(firmwareVersion));
    const reply = new Uint8Array(MkhiHeader.size + 3 * MkhiVersion.size);
    MkhiHeader.serialize({ groupId: header.groupId, command: header.command | RESPONSE, reserved: 0, result: 0 }, reply);
    // Code, recovery and FITC versions: this model runs one build in both partitions.
    for (let i = 0; i < 3; i++) reply.set(version, MkhiHeader.size + i * MkhiVersion.size);
    return reply;
  }
  throw new AppError('unsupported-command', `MKHI group 0x${header.groupId.toString(16)} command 0x${(header.command & 0x7f).toString(16)} is not supported yet`);
}
