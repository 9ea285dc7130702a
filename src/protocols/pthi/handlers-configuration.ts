/**
 * Handlers that change the provisioning state: Unprovision, StartConfigurationHBased and
 * StopConfiguration (brief §5.3, §6.2–§6.4).
 */
import { HASH_LENGTH, hashAlgorithmNumber, type HashAlgorithm } from '../../amt-state/index.js';
import { AMT_STATUS } from './constants.js';
import { fail, ok, pad64, type PthiHandler } from './handler.js';
import * as m from './messages.js';

/**
 * Unprovision (0x04000010), brief §5.3/§6.4. Request: mode u32 (0 current, 1 enterprise).
 * Data: state u32 (0). An admin-control engine refuses with INVALID_AMT_MODE: ACM is deactivated
 * over WS-Man only (rpc-go pkg/pthi/commands.go Unprovision comment; brief §6.4).
 */
export const unprovision: PthiHandler = async (body, { state }) => {
  const { mode } = m.UnprovisionRequest.parse(body);
  if (mode > 1) return fail(AMT_STATUS.invalidParameter);
  if ((await state.provisioning()).mode === 'admin') return fail(AMT_STATUS.invalidAmtMode);
  await state.unprovision();
  return ok(m.UnprovisionResponse.serialize({ state: 0 }));
};

interface HostBasedRequest {
  readonly algorithm: number;
  readonly hash: Uint8Array;
  readonly hostVpn: boolean;
  readonly suffixes: readonly string[] | undefined;
}

/** Reads any of the three accepted layouts (rpc-go 390 bytes; MeshCentral 73 or 393 bytes). */
function readHostBasedRequest(body: Uint8Array): HostBasedRequest {
  if (body.length === m.StartConfigurationHBasedRequest.size) {
    const r = m.StartConfigurationHBasedRequest.parse(body);
    return { algorithm: r.serverHashAlgorithm, hash: r.serverCertHash, hostVpn: r.hostVpnEnable !== 0, suffixes: r.suffixListLength > 320 ? undefined : splitSuffixes(r.suffixList.subarray(0, r.suffixListLength), 5) };
  }
  const short = m.StartConfigurationHBasedShortRequest.parse(body);
  const list = body.length === m.StartConfigurationHBasedLongRequest.size ? m.StartConfigurationHBasedLongRequest.parse(body).suffixList : new Uint8Array();
  return { algorithm: short.serverHashAlgorithm, hash: short.serverCertHash, hostVpn: short.hostVpnEnable !== 0, suffixes: splitSuffixes(list, short.suffixCount) };
}

/** NUL-separated suffixes: at most `maxCount` (≤ 5) of at most 64 DNS characters; undefined when not. */
function splitSuffixes(list: Uint8Array, maxCount: number): string[] | undefined {
  if (maxCount > 5) return undefined;
  const parts = Buffer.from(list).toString('latin1').split('\0').filter((part) => part.length > 0);
  if (parts.length > maxCount) return undefined;
  return parts.some((part) => part.length > 64 || !/^[A-Za-z0-9.-]+$/.test(part)) ? undefined : parts;
}

const ALGORITHM_BY_NUMBER: ReadonlyMap<number, HashAlgorithm> = new Map([[2, 'sha256'], [3, 'sha384']]);

/**
 * StartConfigurationHBased (0x0400008B), brief §5.3 (AMT 19 secure host-based setup). Request:
 * ServerHashAlgorithm u8, ServerCertHash[64], HostVPNEnable, suffix list (see messages.ts for the
 * three layouts). Data: HashAlgorithm u8, AMTCertHash[64] of AMT's own TLS certificate.
 * Refusals: not pre-provisioning → INVALID_AMT_MODE; host-based setup off → NOT_PERMITTED;
 * algorithm not SHA256/384 or bad suffixes → INVALID_PARAMETER; no AMT certificate yet →
 * CERTIFICATE_NOT_READY (intel/lms: "Self-generated AMT certificate does not exist").
 * Success records the session and moves the engine to in-provisioning [our model].
 */
export const startConfigurationHBased: PthiHandler = async (body, { state, clock }) => {
  const request = readHostBasedRequest(body);
  if ((await state.provisioning()).state !== 'pre') return fail(AMT_STATUS.invalidAmtMode);
  if (!(await state.hostBasedSetup()).enabled) return fail(AMT_STATUS.notPermitted);
  const algorithm = ALGORITHM_BY_NUMBER.get(request.algorithm);
  if (!algorithm || !request.suffixes) return fail(AMT_STATUS.invalidParameter);
  const amtHash = await state.amtCertificateHash();
  if (!amtHash) return fail(AMT_STATUS.certificateNotReady);
  await state.update({
    provisioning: { state: 'in', mode: 'none' },
    session: { serverHashAlgorithm: algorithm, serverCertificateHash: request.hash.slice(0, HASH_LENGTH[algorithm]), hostVpnEnabled: request.hostVpn, dnsSuffixes: request.suffixes, startedAt: clock.now() },
  });
  return ok(m.StartConfigurationHBasedResponse.serialize({ hashAlgorithm: hashAlgorithmNumber(amtHash.algorithm), amtCertHash: pad64(amtHash.hash) }));
};

/**
 * StopConfiguration (0x0400005E), brief §5.3. Request: header only. Data: none. Ends an
 * in-provisioning session (back to pre-provisioning); with none running → INVALID_AMT_MODE
 * (MeshCentral treats a non-zero status as "nothing to stop").
 */
export const stopConfiguration: PthiHandler = async (_body, { state }) => {
  if ((await state.provisioning()).state !== 'in') return fail(AMT_STATUS.invalidAmtMode);
  await state.update({ provisioning: { state: 'pre', mode: 'none' }, session: null });
  return ok();
};
