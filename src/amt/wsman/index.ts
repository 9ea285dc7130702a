/** Public API of the WS-Management SOAP layer: parser, reply serializer, class registry, handler. */
export { createWsmanHandler, type WsmanHandler, type WsmanHandlerOptions } from './handler.js';
export { createClassRegistry, type ClassRegistry, type RegisteredClass } from './registry.js';
export { AMT_CLASSES, createAmtClassRegistry, GENERAL_SETTINGS, PROVISIONING, CONFIGURATION_NONCE, type GeneralSettingsState, type ProvisioningStatus } from './classes/index.js';
export type { ClassDeclaration, Instance, MethodDecl, MethodResult, OperationDecl, PropertyDecl, PropertyType, PropertyValue, WsmanContext } from './declaration.js';
export { OPERATION_NAMES, type OperationName } from './declaration.js';
export { RecordingDevice, type BootTarget, type DeviceAction, type DevicePort, type HostPowerRequest } from './device.js';
export { InMemoryWsmanState, type StateSlot, type WsmanState } from './state.js';
export { DEFAULT_CHASSIS, type ChassisFacts, type PlatformFacts } from './facts.js';
export { FAULTS, WsmanFault, type FaultName, type FaultSpec } from './faults.js';
export { DEFAULT_WSMAN_LIMITS, type WsmanLimits } from './limits.js';
export { MessageIdCounter } from './message-id.js';
export { ACTION, ANONYMOUS, NS, SCHEMA_BASE } from './namespaces.js';
export { ALL_REALM_NAMES, AMT_REALMS, principalRealms, realmAllows, type RealmName } from './realms.js';
export { parseWsmanRequest, WsmanRequestError, type EndpointReference, type SelectorValue, type WsmanRequest } from './request.js';
export { renderFault, renderReply } from './envelope.js';
export { renderWsmanReference } from './reference.js';
export { parseXml, type XmlAttribute, type XmlElement } from './xml-tree.js';
