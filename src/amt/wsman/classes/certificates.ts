/**
 * The certificate store's contents (brief §3.7): AMT_PublicKeyCertificate (X509Certificate as
 * base64 DER, Issuer/Subject as AMT writes them, `TrustedRootCertficate` spelled as AMT spells
 * it; order as in `amt/publickey/certificate/get.xml`, ReadOnlyCertificate only when true, which
 * no added certificate is) and AMT_PublicPrivateKeyPair (DERKey = the PKCS#1 public key only,
 * `amt/publicprivate/get.xml`). Delete removes an entry unless the staged TLS credential uses it
 * (AMT: "a certificate cannot be removed if it is referenced, for example by TLS").
 */
import type { ClassDeclaration, Instance } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import {
  CERTIFICATE_STORE, certificateInstanceId, findCertificate, handleOf, keyPairInstanceId, keyPairOf, removeCertificate, removeKeyPair,
} from './certificate-store.js';
import { REALMS } from './common.js';
import { STAGED_TLS } from './tls-state.js';

function handleOfInstance(instance: Instance, kind: 'certificate' | 'key'): number {
  const id = instance['InstanceID'];
  const handle = typeof id === 'string' ? handleOf(id, kind) : undefined;
  if (handle === undefined) throw new WsmanFault('destinationUnreachable');
  return handle;
}

export const AMT_PUBLIC_KEY_CERTIFICATE: ClassDeclaration = {
  name: 'AMT_PublicKeyCertificate',
  schema: 'AMT',
  summary: 'Certificates in the store: trusted roots and the certificates of stored key pairs (TLS server certificate).',
  commonNamespace: true,
  properties: [
    { name: 'ElementName', type: 'string' }, { name: 'InstanceID', type: 'string', key: true }, { name: 'Issuer', type: 'string' },
    { name: 'ReadOnlyCertificate', type: 'boolean' }, { name: 'Subject', type: 'string' }, { name: 'TrustedRootCertficate', type: 'boolean' },
    { name: 'X509Certificate', type: 'base64' },
  ],
  instances: (context) => context.state.get(CERTIFICATE_STORE).certificates.map((c) => ({
    ElementName: 'Intel(r) AMT Certificate', InstanceID: certificateInstanceId(c.handle), Issuer: c.issuer, Subject: c.subject,
    TrustedRootCertficate: c.trustedRoot, X509Certificate: c.der,
  })),
  operations: {
    get: { realms: REALMS.administration },
    enumerate: { realms: REALMS.administration },
    delete: {
      realms: REALMS.administration,
      apply: (context, instance) => {
        const handle = handleOfInstance(instance, 'certificate');
        if (context.state.get(STAGED_TLS).credentialCertificate === handle) {
          throw new WsmanFault('invalidParameter', 'the certificate is in use by AMT_TLSCredentialContext');
        }
        removeCertificate(context.state, handle);
      },
    },
  },
  methods: [],
};

export const AMT_PUBLIC_PRIVATE_KEY_PAIR: ClassDeclaration = {
  name: 'AMT_PublicPrivateKeyPair',
  schema: 'AMT',
  summary: 'RSA key pairs in the store; DERKey is the public key (PKCS#1), the private key never leaves.',
  commonNamespace: true,
  properties: [{ name: 'DERKey', type: 'base64' }, { name: 'ElementName', type: 'string' }, { name: 'InstanceID', type: 'string', key: true }],
  instances: (context) => context.state.get(CERTIFICATE_STORE).keyPairs.map((k) => ({
    DERKey: k.publicKey, ElementName: 'Intel(r) AMT Key', InstanceID: keyPairInstanceId(k.handle),
  })),
  operations: {
    get: { realms: REALMS.administration },
    enumerate: { realms: REALMS.administration },
    delete: {
      realms: REALMS.administration,
      apply: (context, instance) => {
        const handle = handleOfInstance(instance, 'key');
        const inUse = context.state.get(STAGED_TLS).credentialCertificate;
        const certificate = inUse === undefined ? undefined : findCertificate(context.state, inUse);
        if (certificate !== undefined && keyPairOf(context.state, certificate)?.handle === handle) {
          throw new WsmanFault('invalidParameter', 'the key pair belongs to the certificate AMT_TLSCredentialContext uses');
        }
        removeKeyPair(context.state, handle);
      },
    },
  },
  methods: [],
};
