/**
 * CIRA (brief §3.8) as a device where nothing is configured answers it: AMT_RemoteAccessService
 * (no tunnel), AMT_RemoteAccessCapabilities, and empty lists of MPS servers
 * (AMT_ManagementPresenceRemoteSAP), policy rules (AMT_RemoteAccessPolicyRule), their
 * association (AMT_RemoteAccessPolicyAppliesToMPS) and HTTP proxies (IPS_HTTPProxyAccessPoint).
 * RPS's unconfiguration enumerates and deletes these (RPS `src/stateMachines/unconfiguration.ts`);
 * deleting a rule that does not exist is DestinationUnreachable, which RPS and rpc-go expect (brief §2.5).
 * Adding servers and rules (AddMpServer, AddRemoteAccessPolicyRule) is CIRA, a later issue:
 * not declared, so ActionNotSupported. Property order and values: `amt/remoteaccess/*`,
 * `amt/managementpresence/*`; the proxy access point has no recording (alphabetical, as AMT
 * writes, with GWM `pkg/wsman/ips/http/proxyaccesspoint.go`'s properties).
 */
import type { ClassDeclaration, PropertyDecl } from '../declaration.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';
import { emptyListClass } from './unconfigured.js';

const SERVICE_NAME = 'Intel(r) AMT Remote Access Service';

export const AMT_REMOTE_ACCESS_SERVICE: ClassDeclaration = {
  name: 'AMT_RemoteAccessService',
  schema: 'AMT',
  summary: 'CIRA: no tunnel. Adding MPS servers and policy rules is a later issue (ActionNotSupported).',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'IsRemoteTunnelConnected', type: 'boolean' },
    SERVICE_KEYS.Name, { name: 'RemoteTunnelKeepAliveTimeout', type: 'uint32' }, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  instances: () => [{
    ...amtServiceKeys('AMT_RemoteAccessService', SERVICE_NAME), ElementName: SERVICE_NAME, IsRemoteTunnelConnected: false, RemoteTunnelKeepAliveTimeout: 0xffff_ffff,
  }],
  operations: { get: { realms: REALMS.administrationOrGeneralInfo }, enumerate: { realms: REALMS.administrationOrGeneralInfo } },
  methods: [],
};

const CAPABILITIES_ID = 'Intel(r) AMT:Remote Access Capabilities';

export const AMT_REMOTE_ACCESS_CAPABILITIES: ClassDeclaration = {
  name: 'AMT_RemoteAccessCapabilities',
  schema: 'AMT',
  summary: 'CIRA limits as AMT reports them (6 MPS servers, 3 policies, 2 servers per policy, 15 proxies).',
  commonNamespace: false,
  properties: [
    { name: 'ElementName', type: 'string' }, { name: 'InstanceID', type: 'string', key: true }, { name: 'MaxMpsPerPolicy', type: 'uint32' },
    { name: 'MaxTotalMpServers', type: 'uint32' }, { name: 'MaxTotalPolicies', type: 'uint32' }, { name: 'MaxTotalProxyEntryPoints', type: 'uint32' },
  ],
  instances: () => [{
    ElementName: CAPABILITIES_ID, InstanceID: CAPABILITIES_ID, MaxMpsPerPolicy: 2, MaxTotalMpServers: 6, MaxTotalPolicies: 3, MaxTotalProxyEntryPoints: 15,
  }],
  operations: { get: { realms: REALMS.administrationOrGeneralInfo }, enumerate: { realms: REALMS.administrationOrGeneralInfo } },
  methods: [],
};

/** CIM_RemoteServiceAccessPoint's address properties, in AMT's alphabetical places. */
const ACCESS_INFO: PropertyDecl = { name: 'AccessInfo', type: 'string' };
const INFO_FORMAT: PropertyDecl = { name: 'InfoFormat', type: 'uint16' };
const ELEMENT_NAME: PropertyDecl = { name: 'ElementName', type: 'string' };

export const AMT_MANAGEMENT_PRESENCE_REMOTE_SAP = emptyListClass({
  name: 'AMT_ManagementPresenceRemoteSAP',
  schema: 'AMT',
  summary: 'CIRA MPS servers: none configured (CIRA is a later issue); Delete finds nothing.',
  commonNamespace: true,
  properties: [
    ACCESS_INFO, { name: 'CN', type: 'string' }, SERVICE_KEYS.CreationClassName, ELEMENT_NAME, INFO_FORMAT, SERVICE_KEYS.Name,
    { name: 'Port', type: 'uint16' }, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  deletable: true,
});

export const AMT_REMOTE_ACCESS_POLICY_RULE = emptyListClass({
  name: 'AMT_RemoteAccessPolicyRule',
  schema: 'AMT',
  summary: 'CIRA triggers (User Initiated, Alert, Periodic): none configured; Delete by PolicyRuleName is DestinationUnreachable.',
  commonNamespace: false,
  properties: [
    SERVICE_KEYS.CreationClassName, ELEMENT_NAME, { name: 'ExtendedData', type: 'base64' }, { name: 'PolicyRuleName', type: 'string', key: true },
    SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName, { name: 'Trigger', type: 'uint8' }, { name: 'TunnelLifeTime', type: 'uint32' },
  ],
  deletable: true,
});

export const AMT_REMOTE_ACCESS_POLICY_APPLIES_TO_MPS = emptyListClass({
  name: 'AMT_RemoteAccessPolicyAppliesToMPS',
  schema: 'AMT',
  summary: 'Which MPS servers a CIRA policy uses: none (no servers, no rules).',
  commonNamespace: false,
  properties: [
    { name: 'ManagedElement', type: 'epr', key: true }, { name: 'MpsType', type: 'uint16' }, { name: 'OrderOfAccess', type: 'uint16' },
    { name: 'PolicySet', type: 'epr', key: true },
  ],
});

export const IPS_HTTP_PROXY_ACCESS_POINT = emptyListClass({
  name: 'IPS_HTTPProxyAccessPoint',
  schema: 'IPS',
  summary: 'HTTP proxies for CIRA: none configured; Delete by Name finds nothing.',
  // No recording; declared like AMT_ManagementPresenceRemoteSAP, its sibling access point [unverified].
  commonNamespace: true,
  properties: [
    ACCESS_INFO, SERVICE_KEYS.CreationClassName, ELEMENT_NAME, INFO_FORMAT, SERVICE_KEYS.Name, { name: 'NetworkDnsSuffix', type: 'string' },
    { name: 'Port', type: 'uint16' }, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  deletable: true,
});
