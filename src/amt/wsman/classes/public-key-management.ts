/**
 * AMT_PublicKeyManagementService (brief §3.7): the certificate store's methods. Outputs are EPRs
 * to the created AMT_PublicKeyCertificate / AMT_PublicPrivateKeyPair instance
 * (`amt/publickey/management/*.xml`); failures are PT_STATUS ReturnValues, never faults.
 * GenerateKeyPair makes RSA-2048 only (KeyAlgorithm 0, KeyLength 2048: wsman-messages' only
 * valid values). GeneratePKCS10RequestEx signs the console's null-signed request with the pair's
 * private key (SigningAlgorithm 0 SHA1-RSA, 1 SHA256-RSA).
 */
import { CsrError, signCertificationRequest } from '../../tls/csr.js';
import { generateRsaKeyPair, importRsaPrivateKey } from '../../tls/pki.js';
import type { ClassDeclaration, Instance, MethodDecl, MethodResult } from '../declaration.js';
import { isEndpointReference } from '../selectors.js';
import {
  addCertificate, addKeyPair, certificateInstanceId, findKeyPair, handleOf, keyPairInstanceId, keyPairRoom, PKI_STATUS, type AddResult,
} from './certificate-store.js';
import { amtReference } from './amt-reference.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';

const NAME = 'Intel(r) AMT Public Key Management Service';
const CERTIFICATE_CLASS = 'AMT_PublicKeyCertificate';
const KEY_PAIR_CLASS = 'AMT_PublicPrivateKeyPair';

const codes = (...names: (keyof typeof PKI_STATUS)[]): Record<number, string> =>
  Object.fromEntries(names.map((name) => [PKI_STATUS[name], `PT_STATUS_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`]));

function bytesOf(input: Instance, name: string): Uint8Array {
  const value = input[name];
  return value instanceof Uint8Array ? value : new Uint8Array();
}

function created(output: string, className: string, result: AddResult, id: (handle: number) => string): MethodResult {
  if (result.handle === undefined) return { returnValue: result.status };
  return { returnValue: PKI_STATUS.success, output: { [output]: amtReference(className, { InstanceID: id(result.handle) }) } };
}

const certificateMethod = (name: string, trustedRoot: boolean, returnValues: Record<number, string>): MethodDecl => ({
  name,
  realms: REALMS.administration,
  inputs: [{ name: 'CertificateBlob', type: 'base64', required: true }],
  outputs: [{ name: 'CreatedCertificate', type: 'epr' }],
  returnValues,
  invoke: (context, input) => created('CreatedCertificate', CERTIFICATE_CLASS, addCertificate(context.state, bytesOf(input, 'CertificateBlob'), trustedRoot), certificateInstanceId),
});

const GENERATE_KEY_PAIR: MethodDecl = {
  name: 'GenerateKeyPair',
  realms: REALMS.administration,
  inputs: [{ name: 'KeyAlgorithm', type: 'uint16', required: true }, { name: 'KeyLength', type: 'uint32', required: true }],
  outputs: [{ name: 'KeyPair', type: 'epr' }],
  returnValues: codes('success', 'maxLimitReached', 'invalidParameter'),
  invoke: (context, input) => {
    if (input['KeyAlgorithm'] !== 0 || input['KeyLength'] !== 2048) return { returnValue: PKI_STATUS.invalidParameter };
    if (!keyPairRoom(context.state)) return { returnValue: PKI_STATUS.maxLimitReached };
    return created('KeyPair', KEY_PAIR_CLASS, addKeyPair(context.state, generateRsaKeyPair(2048)), keyPairInstanceId);
  },
};

const ADD_KEY: MethodDecl = {
  name: 'AddKey',
  realms: REALMS.administration,
  inputs: [{ name: 'KeyBlob', type: 'base64', required: true }],
  outputs: [{ name: 'CreatedKey', type: 'epr' }],
  returnValues: codes('success', 'maxLimitReached', 'duplicate', 'invalidKey'),
  invoke: (context, input) => {
    let pair: ReturnType<typeof importRsaPrivateKey>;
    try {
      pair = importRsaPrivateKey(bytesOf(input, 'KeyBlob'));
    } catch {
      return { returnValue: PKI_STATUS.invalidKey };
    }
    return created('CreatedKey', KEY_PAIR_CLASS, addKeyPair(context.state, pair), keyPairInstanceId);
  },
};

/** The key pair handle an EPR names (`AMT_PublicPrivateKeyPair`, InstanceID selector). */
function keyPairHandle(value: unknown): number | undefined {
  if (!isEndpointReference(value) || !value.resourceUri.endsWith(`/${KEY_PAIR_CLASS}`)) return undefined;
  const id = value.selectors.get('InstanceID');
  return typeof id === 'string' ? handleOf(id.trim(), 'key') : undefined;
}

const GENERATE_PKCS10_REQUEST_EX: MethodDecl = {
  name: 'GeneratePKCS10RequestEx',
  realms: REALMS.administration,
  inputs: [
    { name: 'KeyPair', type: 'epr', required: true }, { name: 'SigningAlgorithm', type: 'uint16', required: true },
    { name: 'NullSignedCertificateRequest', type: 'base64', required: true },
  ],
  outputs: [{ name: 'SignedCertificateRequest', type: 'base64' }],
  returnValues: codes('success', 'invalidParameter', 'certKeyNotMatch', 'notFound'),
  invoke: (context, input) => {
    const hash = input['SigningAlgorithm'] === 0 ? 'sha1' : input['SigningAlgorithm'] === 1 ? 'sha256' : undefined;
    if (hash === undefined) return { returnValue: PKI_STATUS.invalidParameter };
    const handle = keyPairHandle(input['KeyPair']);
    const pair = handle === undefined ? undefined : findKeyPair(context.state, handle);
    if (pair === undefined) return { returnValue: PKI_STATUS.notFound };
    try {
      return { returnValue: PKI_STATUS.success, output: { SignedCertificateRequest: signCertificationRequest(bytesOf(input, 'NullSignedCertificateRequest'), pair, hash) } };
    } catch (error) {
      if (!(error instanceof CsrError)) throw error;
      return { returnValue: error.reason === 'key-mismatch' ? PKI_STATUS.certKeyNotMatch : PKI_STATUS.invalidParameter };
    }
  },
};

export const AMT_PUBLIC_KEY_MANAGEMENT_SERVICE: ClassDeclaration = {
  name: 'AMT_PublicKeyManagementService',
  schema: 'AMT',
  summary: 'Certificate store service: add trusted roots, certificates and keys, generate RSA-2048 key pairs, sign certificate requests.',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'EnabledDefault', type: 'uint16' }, { name: 'EnabledState', type: 'uint16' },
    SERVICE_KEYS.Name, { name: 'RequestedState', type: 'uint16' }, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  instances: () => [{
    ...amtServiceKeys('AMT_PublicKeyManagementService', NAME), ElementName: 'Intel(r) AMT Certificate Store Service', EnabledDefault: 5, EnabledState: 5, RequestedState: 12,
  }],
  operations: {
    get: { realms: REALMS.administration },
    enumerate: { realms: REALMS.administration },
  },
  methods: [
    certificateMethod('AddTrustedRootCertificate', true, codes('success', 'maxLimitReached', 'duplicate', 'invalidCert')),
    certificateMethod('AddCertificate', false, codes('success', 'maxLimitReached', 'duplicate', 'invalidCert', 'certKeyNotMatch')),
    GENERATE_KEY_PAIR,
    ADD_KEY,
    GENERATE_PKCS10_REQUEST_EX,
  ],
};
