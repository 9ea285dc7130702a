/**
 * RMCP/ASF presence ping and pong (UDP 623), brief §7.1. MeshCentral's LAN scanner sends the
 * 12-byte ping and keeps a device only if the pong echoes the tag, has bit 0x20 in byte 21, and
 * carries Intel's OEM data: open port (bytes 16-17), version nibbles (18), provisioning state (19).
 */
import { bytes, magic, struct, u8, u32be, u16be, type Infer } from '../../codec/index.js';

/** RMCP version 1.0 (ASF 2.0 §3.2.2.1), class ASF, IANA 4542 (ASF), Intel's IANA 343. */
export const RMCP = { version: 0x06, classAsf: 0x06, ianaAsf: 4542, ianaIntel: 343, port: 623, typePing: 0x80, typePong: 0x40 } as const;

/** Presence Ping, 12 bytes. */
export const PresencePing = struct('RMCP presence ping', {
  version: magic(u8(), RMCP.version), // 0: RMCP version 0x06
  reserved: magic(u8(), 0), //          1: reserved
  sequence: u8(), //                    2: RMCP sequence number (0xFF: no RMCP ACK)
  messageClass: magic(u8(), RMCP.classAsf), // 3: class of message, ASF
  iana: magic(u32be(), RMCP.ianaAsf), // 4-7: IANA enterprise number 4542
  messageType: magic(u8(), RMCP.typePing), // 8: 0x80 presence ping
  messageTag: u8(), //                  9: tag the pong echoes
  reserved2: u8(), //                   10: reserved
  dataLength: magic(u8(), 0), //        11: no data
});

/** Presence Pong, 28 bytes (12 header + 16 data). */
export const PresencePong = struct('RMCP presence pong', {
  version: magic(u8(), RMCP.version), // 0
  reserved: magic(u8(), 0), //          1
  sequence: u8(), //                    2: echoes the ping
  messageClass: magic(u8(), RMCP.classAsf), // 3
  iana: magic(u32be(), RMCP.ianaAsf), // 4-7
  messageType: magic(u8(), RMCP.typePong), // 8: 0x40 presence pong
  messageTag: u8(), //                  9: echoes the ping's tag
  reserved2: u8(), //                   10
  dataLength: magic(u8(), 0x10), //     11: 16 data bytes
  oemIana: u32be(), //                  12-15: Intel 343 (00 00 01 57)
  openPort: u16be(), //                 16-17: Intel OEM: 16992 or 16993, big-endian
  versionNibbles: u8(), //              18: Intel OEM: major << 4 | minor
  provisioningFlags: u8(), //           19: Intel OEM: bits 0-1 provisioning state, bit 2 both ports open
  supportedEntities: u8(), //           20: ASF: bit 7 IPMI, bits 0-3 ASF version (1.0) [ASF spec]
  supportedInteractions: u8(), //       21: bit 0x20 is what MeshCentral checks
  reserved3: bytes(6), //               22-27
});

export type PresencePingValue = Infer<typeof PresencePing>;
export type PresencePongValue = Infer<typeof PresencePong>;

/** The pong fields MeshCentral reads, as the device states them. */
export interface PresenceState {
  /** AMT_GeneralSettings.RmcpPingResponseEnabled. */
  readonly enabled: boolean;
  readonly majorVersion: number;
  readonly minorVersion: number;
  /** 0 pre-provisioning, 1 in provisioning, 2 post-provisioning. */
  readonly provisioningState: 0 | 1 | 2;
  readonly httpOpen: boolean;
  readonly tlsOpen: boolean;
}

/** Builds the pong for a ping. Version nibbles saturate at 15 (AMT ≥ 16 cannot be expressed). */
export function buildPong(ping: PresencePingValue, state: PresenceState): Uint8Array {
  const nibble = (value: number): number => Math.max(0, Math.min(15, value));
  return PresencePong.serialize(PresencePong.defaults({
    sequence: ping.sequence,
    messageTag: ping.messageTag,
    oemIana: RMCP.ianaIntel,
    openPort: state.tlsOpen && !state.httpOpen ? 16993 : 16992,
    versionNibbles: (nibble(state.majorVersion) << 4) | nibble(state.minorVersion),
    provisioningFlags: state.provisioningState | (state.httpOpen && state.tlsOpen ? 0x04 : 0),
    supportedEntities: 0x81,
    supportedInteractions: 0x20,
  }));
}
