/**
 * Which certificate the TLS server uses (brief §1.6, §3.7): AMT_TLSCredentialContext associates
 * an AMT_PublicKeyCertificate (ElementInContext) with the singleton
 * AMT_TLSProtocolEndpointCollection (ElementProvidingContext). At most one exists; a second
 * Create is the AlreadyExists fault RPS tolerates (`src/stateMachines/tls.ts`). Create, Put and
 * Delete stage the choice until CommitChanges (tls-state.ts). The certificate must be one the
 * store holds a key pair for. Requests may name the collection as wsman-messages spells it
 * (`TLSProtocolEndpointInstances Collection`); replies use AMT's spelling (`…/credentialcontext/*.xml`).
 */
import type { ClassDeclaration, Instance, WsmanContext } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { isEndpointReference } from '../selectors.js';
import { certificateInstanceId, findCertificate, handleOf, keyPairOf } from './certificate-store.js';
import { amtReference } from './amt-reference.js';
import { REALMS } from './common.js';
import { STAGED_TLS, stageTls } from './tls-state.js';

const COLLECTION_NAME = 'TLSProtocolEndpoint Instances Collection';
const COLLECTION = amtReference('AMT_TLSProtocolEndpointCollection', { ElementName: COLLECTION_NAME });

function instanceFor(handle: number): Instance {
  return { ElementInContext: amtReference('AMT_PublicKeyCertificate', { InstanceID: certificateInstanceId(handle) }), ElementProvidingContext: COLLECTION };
}

/** The certificate handle `value` names, checked usable as the TLS server credential. @throws WsmanFault invalidRepresentation */
function usableCertificate(context: WsmanContext, value: Instance[string]): number {
  const refuse = (why: string): never => {
    throw new WsmanFault('invalidRepresentation', `ElementInContext: ${why}`);
  };
  if (!isEndpointReference(value) || !value.resourceUri.endsWith('/AMT_PublicKeyCertificate')) return refuse('not an AMT_PublicKeyCertificate reference');
  const id = value.selectors.get('InstanceID');
  const handle = typeof id === 'string' ? handleOf(id.trim(), 'certificate') : undefined;
  const certificate = handle === undefined ? undefined : findCertificate(context.state, handle);
  if (handle === undefined || certificate === undefined) return refuse('no such certificate');
  if (keyPairOf(context.state, certificate) === undefined) return refuse('the store holds no key pair for this certificate');
  return handle;
}

function checkCollection(value: Instance[string]): void {
  if (!isEndpointReference(value) || !value.resourceUri.endsWith('/AMT_TLSProtocolEndpointCollection')) {
    throw new WsmanFault('invalidRepresentation', 'ElementProvidingContext: not the AMT_TLSProtocolEndpointCollection');
  }
}

export const AMT_TLS_CREDENTIAL_CONTEXT: ClassDeclaration = {
  name: 'AMT_TLSCredentialContext',
  schema: 'AMT',
  summary: 'The certificate the TLS server presents (staged until CommitChanges); none means the device\'s own certificate.',
  commonNamespace: false,
  properties: [{ name: 'ElementInContext', type: 'epr', key: true, writable: true }, { name: 'ElementProvidingContext', type: 'epr', key: true }],
  instances: (context) => {
    const handle = context.state.get(STAGED_TLS).credentialCertificate;
    return handle === undefined ? [] : [instanceFor(handle)];
  },
  operations: {
    get: { realms: REALMS.administration },
    enumerate: { realms: REALMS.administration },
    create: {
      realms: REALMS.administration,
      apply: (context, instance) => {
        checkCollection(instance['ElementProvidingContext']);
        const handle = usableCertificate(context, instance['ElementInContext']);
        if (context.state.get(STAGED_TLS).credentialCertificate !== undefined) throw new WsmanFault('alreadyExists');
        stageTls(context.state, { credentialCertificate: handle });
        return instanceFor(handle);
      },
    },
    put: {
      realms: REALMS.administration,
      apply: (context, current, changes) => {
        if (changes['ElementInContext'] === undefined) return current;
        const handle = usableCertificate(context, changes['ElementInContext']);
        stageTls(context.state, { credentialCertificate: handle });
        return instanceFor(handle);
      },
    },
    delete: {
      realms: REALMS.administration,
      apply: (context) => stageTls(context.state, { credentialCertificate: undefined }),
    },
  },
  methods: [],
};

export const AMT_TLS_PROTOCOL_ENDPOINT_COLLECTION: ClassDeclaration = {
  name: 'AMT_TLSProtocolEndpointCollection',
  schema: 'AMT',
  summary: 'The collection of TLS protocol endpoints that AMT_TLSCredentialContext attaches the certificate to.',
  commonNamespace: false,
  properties: [{ name: 'ElementName', type: 'string', key: true }],
  instances: () => [{ ElementName: COLLECTION_NAME }],
  operations: { get: { realms: REALMS.administration }, enumerate: { realms: REALMS.administration } },
  methods: [],
};
