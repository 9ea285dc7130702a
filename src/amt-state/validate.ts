/** Checks of caller-supplied updates before anything is written (VME_ERR_AMT_STATE_ARGUMENT). */
import { invalid } from './errors.js';
import {
  AMT_STATE_LIMITS, CONTROL_MODE, HASH_LENGTH, PROVISIONING_STATE,
  type HashAlgorithm, type Provisioning,
} from './types.js';

export function checkProvisioning(value: Provisioning): void {
  if (!(value.state in PROVISIONING_STATE)) throw invalid(`unknown provisioning state ${String(value.state)}`, { state: value.state });
  if (!(value.mode in CONTROL_MODE)) throw invalid(`unknown control mode ${String(value.mode)}`, { mode: value.mode });
  if ((value.state === 'post') !== (value.mode !== 'none')) {
    throw invalid(`provisioning state ${value.state} does not go with control mode ${value.mode}`, { ...value });
  }
}

export function checkDnsSuffix(suffix: string): void {
  if (suffix.length > AMT_STATE_LIMITS.maxDnsSuffixLength || !/^[A-Za-z0-9.-]*$/.test(suffix)) {
    throw invalid(`DNS suffix ${JSON.stringify(suffix)} must be at most ${AMT_STATE_LIMITS.maxDnsSuffixLength} letters, digits, dots and hyphens`, { suffix });
  }
}

export function checkHash(algorithm: HashAlgorithm, hash: Uint8Array): void {
  if (!(algorithm in HASH_LENGTH)) throw invalid(`unknown hash algorithm ${String(algorithm)}`, { algorithm });
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_LENGTH[algorithm]) {
    throw invalid(`a ${algorithm} hash is ${HASH_LENGTH[algorithm]} bytes`, { algorithm, length: hash instanceof Uint8Array ? hash.length : undefined });
  }
}

export function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > AMT_STATE_LIMITS.maxCertificateNameLength || !/^[\x20-\x7e]+$/.test(name)) {
    throw invalid(`certificate hash name must be 1..${AMT_STATE_LIMITS.maxCertificateNameLength} printable ASCII characters`, { name });
  }
}
