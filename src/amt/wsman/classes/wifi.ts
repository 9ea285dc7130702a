/**
 * Wireless (brief §3.9) as a device without a configured (or usable) Wi-Fi port answers it: the
 * vme platform has only the wired port (AMT_EthernetPortSettings reports no `Settings 1`, so RPS
 * skips its Wi-Fi steps). CIM_WiFiPort is the disabled port with no address (EnabledState 3,
 * PermanentAddress all zeros); AMT_WiFiPortConfigurationService is "Not Applicable" (EnabledState 5,
 * RequestedState 12) with local profile synchronization off; CIM_WiFiEndpointSettings (the Wi-Fi
 * profiles) is an empty list whose Delete finds nothing. Turning Wi-Fi on (RequestStateChange,
 * AddWiFiSettings, a Put of the configuration service) is a later issue: not declared, so
 * ActionNotSupported. Order and values: `cim/wifi/port/get.xml`,
 * `amt/wifiportconfiguration/get.xml`, `cim/wifi/endpointsettings/pull.xml`.
 */
import type { ClassDeclaration } from '../declaration.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';
import { emptyListClass } from './unconfigured.js';

const READ = { get: { realms: REALMS.administrationOrGeneralInfo }, enumerate: { realms: REALMS.administrationOrGeneralInfo } };
const PORT_NAME = 'WiFi Port 0';

export const CIM_WIFI_PORT: ClassDeclaration = {
  name: 'CIM_WiFiPort',
  schema: 'CIM',
  summary: 'The wireless port: disabled (EnabledState 3), no address; enabling it is a later issue (ActionNotSupported).',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'DeviceID', type: 'string', key: true }, { name: 'ElementName', type: 'string' },
    { name: 'EnabledState', type: 'uint16' }, { name: 'HealthState', type: 'uint16' }, { name: 'LinkTechnology', type: 'uint16' },
    { name: 'PermanentAddress', type: 'string' }, { name: 'PortType', type: 'uint16' }, { name: 'RequestedState', type: 'uint16' },
    SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  instances: () => [{
    CreationClassName: 'CIM_WiFiPort', DeviceID: PORT_NAME, ElementName: PORT_NAME, EnabledState: 3, HealthState: 5, LinkTechnology: 11,
    PermanentAddress: '000000000000', PortType: 0, RequestedState: 3, SystemCreationClassName: 'CIM_ComputerSystem', SystemName: 'Intel(r) AMT',
  }],
  operations: READ,
  methods: [],
};

export const AMT_WIFI_PORT_CONFIGURATION_SERVICE: ClassDeclaration = {
  name: 'AMT_WiFiPortConfigurationService',
  schema: 'AMT',
  summary: 'Wi-Fi profiles service: not applicable (EnabledState 5), no synchronization; adding profiles is a later issue (ActionNotSupported).',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' }, { name: 'HealthState', type: 'uint16' },
    { name: 'LastConnectedSsidUnderMeControl', type: 'string' }, SERVICE_KEYS.Name, { name: 'NoHostCsmeSoftwarePolicy', type: 'uint32' },
    { name: 'RequestedState', type: 'uint16' }, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
    { name: 'UEFIWiFiProfileShareEnabled', type: 'boolean' }, { name: 'localProfileSynchronizationEnabled', type: 'uint32' },
  ],
  instances: () => [{
    ...amtServiceKeys('AMT_WiFiPortConfigurationService', 'Intel(r) AMT WiFi Port Configuration Service'),
    // AMT's two spellings, as recorded: "WiFiPort" in ElementName, "WiFi Port" in Name.
    ElementName: 'Intel(r) AMT WiFiPort Configuration Service', EnabledState: 5, HealthState: 5, LastConnectedSsidUnderMeControl: '',
    NoHostCsmeSoftwarePolicy: 0, RequestedState: 12, UEFIWiFiProfileShareEnabled: false, localProfileSynchronizationEnabled: 0,
  }],
  operations: READ,
  methods: [],
};

export const CIM_WIFI_ENDPOINT_SETTINGS = emptyListClass({
  name: 'CIM_WiFiEndpointSettings',
  schema: 'CIM',
  summary: 'Wi-Fi profiles: none; Delete by InstanceID finds nothing.',
  commonNamespace: false,
  properties: [
    { name: 'AuthenticationMethod', type: 'uint16' }, { name: 'BSSType', type: 'uint16' }, { name: 'ElementName', type: 'string' },
    { name: 'EncryptionMethod', type: 'uint16' }, { name: 'InstanceID', type: 'string', key: true }, { name: 'Priority', type: 'uint8' },
    { name: 'SSID', type: 'string' },
  ],
  deletable: true,
});
