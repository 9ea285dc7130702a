/**
 * The WS-Man classes for network, time, event log, alarm clock, redirection and consent settings
 * (brief §3.5–3.6, §3.10), listed for the registry (classes/index.ts), and what the AMT app uses of
 * them: the event log, due alarms, the AMT clock, the consent code to show and the redirection switches.
 */
import type { ClassDeclaration } from '../declaration.js';
import { AMT_ALARM_CLOCK_SERVICE, IPS_ALARM_CLOCK_OCCURRENCE } from './alarm-clock.js';
import { AMT_ETHERNET_PORT_SETTINGS } from './ethernet.js';
import { IPS_KVM_REDIRECTION_SETTING_DATA } from './kvm-settings.js';
import { AMT_MESSAGE_LOG } from './message-log.js';
import { IPS_OPT_IN_SERVICE } from './opt-in.js';
import { AMT_REDIRECTION_SERVICE, CIM_KVM_REDIRECTION_SAP } from './redirection.js';
import { AMT_TIME_SYNCHRONIZATION_SERVICE } from './time-sync.js';
import { UNSUPPORTED_CLASSES } from './unsupported.js';

export const NETWORK_LOGS_CLASSES: readonly ClassDeclaration[] = [
  AMT_ETHERNET_PORT_SETTINGS, AMT_TIME_SYNCHRONIZATION_SERVICE, AMT_MESSAGE_LOG, AMT_ALARM_CLOCK_SERVICE, IPS_ALARM_CLOCK_OCCURRENCE,
  AMT_REDIRECTION_SERVICE, CIM_KVM_REDIRECTION_SAP, IPS_KVM_REDIRECTION_SETTING_DATA, IPS_OPT_IN_SERVICE, ...UNSUPPORTED_CLASSES,
];

export { ALARM_CLOCK, dueAlarms, type AlarmRecord } from './alarm-clock.js';
export { ETHERNET, formatMac, type EthernetState } from './ethernet.js';
export { isStrongRfbPassword, KVM_SETTINGS, type KvmSettingsState } from './kvm-settings.js';
export { appendEventLogRecord, encodeEventLogRecord, EventLogRecordLayout, MESSAGE_LOG, MESSAGE_LOG_CAPACITY, type EventLogRecord } from './message-log.js';
export {
  currentOptInPhase, effectiveOptInRequired, OPT_IN, OPT_IN_PHASE, OPT_IN_REQUIRED, optInCodeToDisplay, optInRequiredFor, setOptInSession,
} from './opt-in.js';
export { REDIRECTION, redirectionFeatures, REDIRECTION_STATE } from './redirection.js';
export { amtClockMs, amtClockSeconds, TIME_SYNC } from './time-sync.js';
