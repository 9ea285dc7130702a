/**
 * Host-based activation as IPS_HostBasedSetupService carries it (brief §6.2, §6.3): Setup (CCM),
 * AddNextCertInChain + AdminSetup (ACM) and UpgradeClientToAdmin (CCM → ACM), over the WsmanState
 * slots of classes/provisioning.ts. Setup, AdminSetup and the chain are refused unless the request
 * came from the host (LMS/LME); failures are the SDK ReturnValues of return-values.ts. Success
 * sets the admin account's HA1 (src/amt/accounts), moves to post-provisioning in the new control
 * mode, records "Provisioning Completed" and queues `provisioning-changed`.
 */
import { PT_STATUS, recordAudit, setAdminPassword } from '../accounts/index.js';
import type { Instance, MethodResult, WsmanContext } from '../wsman/declaration.js';
import {
  activated, CERTIFICATE_CHAIN, CONFIGURATION_NONCE, PROVISIONING, PROVISIONING_CERTIFICATE_HASHES, PROVISIONING_DNS_SUFFIXES,
  type CertificateChainProgress, type ProvisioningStatus,
} from '../wsman/classes/provisioning.js';
import { networkAdminHA1, SETUP_ADMIN_USER } from './admin-password.js';
import { parseChainCertificate, type ChainCertificate } from './certificate.js';
import { linksTo, verifyProvisioningChain, type ProvisioningTrust } from './chain.js';
import { ADD_CERT_RETURN, ADMIN_SETUP_RETURN, SETUP_RETURN } from './return-values.js';
import { NONCE_LENGTH, SIGNING_ALGORITHM, verifyNonceSignature } from './signature.js';

/** Longest chain AddNextCertInChain accepts, leaf and root included [vme's choice; the SDK states no number]. */
export const MAX_CHAIN_LENGTH = 5;

const result = (returnValue: number): MethodResult => ({ returnValue });

/** Not yet activated: pre-provisioning, or in provisioning after PTHI StartConfigurationHBased. */
const unactivated = (status: ProvisioningStatus): boolean => status.state !== 2 && status.controlMode === 0;

/** Setup(NetAdminPassEncryptionType, NetworkAdminPassword): client control mode (brief §6.2). */
export function setup(context: WsmanContext, input: Instance): MethodResult {
  const status = context.state.get(PROVISIONING);
  if (context.origin !== 'local' || !unactivated(status)) return result(SETUP_RETURN.invalidState);
  if (!status.allowedControlModes.includes(1)) return result(SETUP_RETURN.methodDisabled);
  const ha1 = networkAdminHA1(input['NetAdminPassEncryptionType'], input['NetworkAdminPassword']);
  if (ha1 === undefined) return result(SETUP_RETURN.invalidParam);
  if (setAdminPassword(context.state, context.digestRealm, { user: SETUP_ADMIN_USER, ha1 }) !== PT_STATUS.SUCCESS) return result(SETUP_RETURN.internalError);
  complete(context, 1);
  return result(SETUP_RETURN.success);
}

/** AddNextCertInChain(NextCertificate, IsLeafCertificate, IsRootCertificate): leaf first, root last. */
export function addNextCertInChain(context: WsmanContext, input: Instance): MethodResult {
  const status = context.state.get(PROVISIONING);
  const upgrading = status.state === 2 && status.controlMode === 1;
  // Activation chains come from the host; an upgrade's (admin credentials, CCM) may come from the network.
  if (!upgrading && (context.origin !== 'local' || !unactivated(status))) return result(ADD_CERT_RETURN.invalidState);
  const der = input['NextCertificate'];
  const certificate = der instanceof Uint8Array ? parseChainCertificate(der) : undefined;
  const isLeaf = input['IsLeafCertificate'] === true;
  const isRoot = input['IsRootCertificate'] === true;
  const progress = context.state.get(CERTIFICATE_CHAIN);
  if (!isLeaf && progress.complete) return result(ADD_CERT_RETURN.invalidState);
  // A leaf starts a new chain; anything else must follow one.
  if (certificate === undefined || (!isLeaf && progress.certificates.length === 0)) return result(ADD_CERT_RETURN.invalidParam);
  const previous = isLeaf ? [] : progress.certificates;
  const chain = [...previous, certificate.der];
  if (chain.length > MAX_CHAIN_LENGTH) return refuseChain(context, ADD_CERT_RETURN.chainLengthExceeded, 'too-long');
  const last = previous.length > 0 ? parseChainCertificate(previous[previous.length - 1] as Uint8Array) : undefined;
  if (last !== undefined && !linksTo(last, certificate)) return refuseChain(context, ADD_CERT_RETURN.certVerifyFailed, 'broken-chain');
  if (isRoot) {
    const verdict = verifyProvisioningChain(parseAll(chain), provisioningTrust(context), context.device.now());
    if (!verdict.ok) return refuseChain(context, ADD_CERT_RETURN.certVerifyFailed, verdict.failure);
  }
  context.state.set(CERTIFICATE_CHAIN, { certificates: chain, complete: isRoot });
  return result(ADD_CERT_RETURN.success);
}

/** AdminSetup(NetAdminPassEncryptionType, NetworkAdminPassword, McNonce, SigningAlgorithm, DigitalSignature): admin control mode. */
export function adminSetup(context: WsmanContext, input: Instance): MethodResult {
  const status = context.state.get(PROVISIONING);
  if (context.origin !== 'local' || !unactivated(status) || !status.allowedControlModes.includes(2)) return result(ADMIN_SETUP_RETURN.invalidState);
  const ha1 = networkAdminHA1(input['NetAdminPassEncryptionType'], input['NetworkAdminPassword']);
  if (ha1 === undefined) return result(ADMIN_SETUP_RETURN.invalidParam);
  const proof = checkProof(context, input);
  if (proof !== ADMIN_SETUP_RETURN.success) return result(proof);
  if (setAdminPassword(context.state, context.digestRealm, { user: SETUP_ADMIN_USER, ha1 }) !== PT_STATUS.SUCCESS) return result(ADMIN_SETUP_RETURN.internalError);
  complete(context, 2);
  return result(ADMIN_SETUP_RETURN.success);
}

/** UpgradeClientToAdmin(McNonce, SigningAlgorithm, DigitalSignature): CCM → ACM, the admin account kept. */
export function upgradeClientToAdmin(context: WsmanContext, input: Instance): MethodResult {
  const status = context.state.get(PROVISIONING);
  if (status.state !== 2 || status.controlMode !== 1 || !status.allowedControlModes.includes(2)) return result(ADMIN_SETUP_RETURN.invalidState);
  const proof = checkProof(context, input);
  if (proof !== ADMIN_SETUP_RETURN.success) return result(proof);
  complete(context, 2);
  return result(ADMIN_SETUP_RETURN.success);
}

/**
 * The signed nonces: parameters (3), a complete chain and a reported nonce (2), the signature
 * over ConfigurationNonce || McNonce with the leaf key (5). The chain and nonce are used once.
 */
function checkProof(context: WsmanContext, input: Instance): number {
  const mcNonce = input['McNonce'];
  const signature = input['DigitalSignature'];
  if (!(mcNonce instanceof Uint8Array) || mcNonce.length !== NONCE_LENGTH || input['SigningAlgorithm'] !== SIGNING_ALGORITHM.rsaSha256 || !(signature instanceof Uint8Array)) {
    return ADMIN_SETUP_RETURN.invalidParam;
  }
  const progress = context.state.get(CERTIFICATE_CHAIN);
  const nonce = context.state.get(CONFIGURATION_NONCE);
  const leaf = progress.complete && progress.certificates[0] !== undefined ? parseChainCertificate(progress.certificates[0]) : undefined;
  if (leaf === undefined || nonce === undefined) return ADMIN_SETUP_RETURN.invalidState;
  context.state.set(CERTIFICATE_CHAIN, CERTIFICATE_CHAIN.initial());
  context.state.set(CONFIGURATION_NONCE, undefined);
  return verifyNonceSignature(leaf, nonce, mcNonce, signature) ? ADMIN_SETUP_RETURN.success : ADMIN_SETUP_RETURN.authFailed;
}

/** The hash table and DNS suffixes ACM trusts, from state. */
export function provisioningTrust(context: WsmanContext): ProvisioningTrust {
  const suffixes = context.state.get(PROVISIONING_DNS_SUFFIXES);
  return { hashes: context.state.get(PROVISIONING_CERTIFICATE_HASHES), dnsSuffixes: [suffixes.pki, ...suffixes.network] };
}

function parseAll(chain: readonly Uint8Array[]): ChainCertificate[] {
  return chain.flatMap((der) => parseChainCertificate(der) ?? []);
}

/** A refused certificate ends the chain; the reason stays readable for diagnosis. */
function refuseChain(context: WsmanContext, returnValue: number, failure: NonNullable<CertificateChainProgress['failure']>): MethodResult {
  context.state.set(CERTIFICATE_CHAIN, { certificates: [], complete: false, failure });
  return result(returnValue);
}

function complete(context: WsmanContext, controlMode: 1 | 2): void {
  context.state.set(PROVISIONING, activated(context.state.get(PROVISIONING), controlMode));
  context.state.set(CERTIFICATE_CHAIN, CERTIFICATE_CHAIN.initial());
  recordAudit(context.state, { kind: 'provisioning-completed', by: { kind: 'digest', user: context.principal.user }, at: context.device.now() });
  context.device.act({ kind: 'provisioning-changed' });
}
