/**
 * The firmware's answers to host bus messages, one handler per command, dispatched by table.
 * Each handler starts with the message layout; all come from Linux drivers/misc/mei/hw.h as
 * summarised in the brief (me-internals §3.3). Status codes: `HBM_STATUS` / `CONNECT_STATUS`.
 */
import type { HeciBus } from './bus.js';
import { CONNECT_STATUS, HBM_STATUS, type HbmFields, type HbmMessage, type HbmName } from './hbm.js';

type Handler<K extends HbmName> = (bus: HeciBus, fields: HbmFields<K>) => void;
type HandlerTable = { readonly [K in HbmName]?: Handler<K> };

/** HBM 2.0 brought notifications (hw.h `HBM_MAJOR_VERSION_EV`). */
const NOTIFICATION_MIN_MAJOR = 2;

/** Dispatches one decoded HBM message; commands the firmware never receives are counted. */
export function handleHbm(bus: HeciBus, message: HbmMessage): void {
  const handler = HANDLERS[message.name] as Handler<HbmName> | undefined;
  if (handler === undefined) {
    bus.count('unexpectedHbm');
    return;
  }
  if (message.name !== 'hostStartRequest' && bus.negotiated === undefined) {
    bus.count('hbmBeforeStart');
    return;
  }
  handler(bus, message.fields);
}

// HOST_START request 0x01: cmd u8, reserved u8, minor u8, major u8.
// Response 0x81: cmd, host_version_supported u8, minor, major (the engine's maximum). [§3.3]
// A second HOST_START restarts the bus (the host driver does this after a reset).
const hostStart: Handler<'hostStartRequest'> = (bus, request) => {
  const engine = bus.version;
  const hostVersion = request.majorVersion * 256 + request.minorVersion;
  const supported = request.majorVersion >= 1 && hostVersion <= engine.major * 256 + engine.minor;
  bus.reset();
  if (supported) bus.negotiated = { major: request.majorVersion, minor: request.minorVersion };
  bus.sendHbm('hostStartResponse', { hostVersionSupported: supported ? 1 : 0, minorVersion: engine.minor, majorVersion: engine.major });
};

// HOST_STOP request 0x02: cmd, reason u8, reserved[2]. Response 0x82: cmd, reserved[3]. [§3.3]
const hostStop: Handler<'hostStopRequest'> = (bus) => {
  bus.reset();
  bus.sendHbm('hostStopResponse', {});
};

// HOST_ENUM request 0x04: cmd, flags u8, reserved[2].
// Response 0x84: cmd, reserved[3], valid_addresses[32] (bit n = me_addr n). [§3.3]
const hostEnumeration: Handler<'hostEnumerationRequest'> = (bus) => {
  bus.sendHbm('hostEnumerationResponse', { validAddresses: bus.registry.addressBitmap() });
};

// HOST_CLIENT_PROPERTIES request 0x05: cmd, me_addr, reserved[2].
// Response 0x85: cmd, me_addr, status, reserved, then 24 bytes: protocol_name uuid_le,
// protocol_version u8, max_number_of_connections u8, fixed_address u8, single_recv_buf:1, max_msg_length u32. [§3.3]
const clientProperties: Handler<'clientPropertiesRequest'> = (bus, request) => {
  const client = bus.registry.byAddress(request.meAddress);
  if (client === undefined) {
    bus.sendHbm('clientPropertiesResponse', { meAddress: request.meAddress, status: HBM_STATUS.clientNotFound });
    return;
  }
  bus.sendHbm('clientPropertiesResponse', {
    meAddress: client.meAddress, status: HBM_STATUS.success, protocolName: client.uuid, protocolVersion: client.protocolVersion,
    maxConnections: client.maxConnections, fixedAddress: 0, flags: 0, maxMessageLength: client.maxMessageBytes,
  });
};

// CLIENT_CONNECT request 0x06: cmd, me_addr, host_addr, reserved.
// Response 0x86: cmd, me_addr, host_addr, status (`CONNECT_STATUS`). On success the engine then
// grants the host its first credit (FLOW_CONTROL). [§3.3 "Sequence a virtual engine must serve"]
const clientConnect: Handler<'clientConnectRequest'> = (bus, request) => {
  const { meAddress, hostAddress } = request;
  const client = bus.registry.byAddress(meAddress);
  const status = client === undefined ? CONNECT_STATUS.notFound
    : hostAddress === 0 ? CONNECT_STATUS.messageSmall // host_addr 0 belongs to the bus itself
      : bus.connection(meAddress, hostAddress) !== undefined ? CONNECT_STATUS.alreadyStarted
        : bus.connectionCount(client) >= client.maxConnections ? CONNECT_STATUS.outOfResources
          : CONNECT_STATUS.success;
  bus.sendHbm('clientConnectResponse', { meAddress, hostAddress, status });
  if (status !== CONNECT_STATUS.success || client === undefined) {
    bus.count('connectRefused');
    return;
  }
  const connection = bus.openConnection(client, hostAddress);
  if (!bus.guard(() => client.handler.onConnect?.(connection))) {
    bus.disconnectByEngine(connection);
    return;
  }
  connection.grantCredit();
};

// CLIENT_DISCONNECT request 0x07: cmd, me_addr, host_addr, reserved.
// Response 0x87: cmd, me_addr, host_addr, status (0 success, 1 no such connection). [§3.3]
const clientDisconnect: Handler<'clientDisconnectRequest'> = (bus, request) => {
  const { meAddress, hostAddress } = request;
  const connection = bus.connection(meAddress, hostAddress);
  if (connection !== undefined) bus.closeConnection(connection);
  else bus.count('unknownConnection');
  bus.sendHbm('clientDisconnectResponse', { meAddress, hostAddress, status: connection ? HBM_STATUS.success : HBM_STATUS.clientNotFound });
};

// CLIENT_DISCONNECT response 0x87 (the host acknowledging an engine-initiated disconnect):
// cmd, me_addr, host_addr, status. The engine freed the connection when it asked; nothing to do.
const clientDisconnectAcknowledged: Handler<'clientDisconnectResponse'> = () => undefined;

// FLOW_CONTROL 0x08: cmd, me_addr, host_addr, reserved[5] — the host grants one message. [§3.3]
const flowControl: Handler<'flowControl'> = (bus, request) => {
  const connection = bus.connection(request.meAddress, request.hostAddress);
  if (connection === undefined) bus.count('unknownConnection');
  else if (!connection.addHostCredit()) bus.count('creditOverflow');
};

// NOTIFY request 0x10: cmd, me_addr, host_addr, start (1 start / 0 stop).
// Response 0x90: cmd, me_addr, host_addr, status, start, reserved[3]. Needs HBM 2.0. [§3.3]
const notify: Handler<'notifyRequest'> = (bus, request) => {
  const { meAddress, hostAddress, start } = request;
  const connection = bus.connection(meAddress, hostAddress);
  const wanted = start !== 0;
  const status = (bus.negotiated?.major ?? 0) < NOTIFICATION_MIN_MAJOR ? HBM_STATUS.notAllowed
    : connection === undefined ? HBM_STATUS.clientNotFound
      : start > 1 ? HBM_STATUS.invalidParameter
        : wanted && connection.notificationsEnabled ? HBM_STATUS.alreadyStarted
          : !wanted && !connection.notificationsEnabled ? HBM_STATUS.notStarted
            : HBM_STATUS.success;
  if (status === HBM_STATUS.success && connection !== undefined) connection.notificationsEnabled = wanted;
  bus.sendHbm('notifyResponse', { meAddress, hostAddress, status, start });
};

const HANDLERS: HandlerTable = {
  hostStartRequest: hostStart,
  hostStopRequest: hostStop,
  hostEnumerationRequest: hostEnumeration,
  clientPropertiesRequest: clientProperties,
  clientConnectRequest: clientConnect,
  clientDisconnectRequest: clientDisconnect,
  clientDisconnectResponse: clientDisconnectAcknowledged,
  flowControl,
  notifyRequest: notify,
};
