/**
 * The SOAP faults vme answers, declared once (brief §2.5, DSP0226 §14 for those AMT was never
 * captured sending). Each has its subcode (prefix as in AMT's fault envelope: b addressing,
 * c enumeration, d transfer, e wsman), its fault Action, the SOAP Code and the reason text. All go
 * out with HTTP 400: go-wsman decodes faults only on 400 (brief §2.5), and the HTTP seam allows 200/400.
 */
import { VmeError } from '../../common/errors.js';
import { FAULT_ACTION } from './namespaces.js';

export interface FaultSpec {
  /** `prefix:LocalName` as written in `<a:Subcode><a:Value>`; empty for none. */
  readonly subcode: string;
  readonly action: string;
  readonly code: 'a:Sender' | 'a:Receiver' | 'a:MustUnderstand';
  readonly reason: string;
  /** Optional `<e:FaultDetail>` URI. */
  readonly detail?: string;
  /** Captured from real AMT (true) or taken from DSP0226 (false). */
  readonly captured: boolean;
}

const detail = (name: string): string => `http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/${name}`;

export const FAULTS = {
  destinationUnreachable: { subcode: 'b:DestinationUnreachable', action: FAULT_ACTION.addressing, code: 'a:Sender', captured: true,
    reason: 'No route can be determined to reach the destination role defined by the WSAddressing To.' },
  actionNotSupported: { subcode: 'b:ActionNotSupported', action: FAULT_ACTION.addressing, code: 'a:Sender', captured: false,
    reason: 'The action is not supported by the service.' },
  headerRequired: { subcode: 'b:MessageInformationHeaderRequired', action: FAULT_ACTION.addressing, code: 'a:Sender', captured: false,
    reason: 'A required header representing a Message Addressing Property is not present' },
  accessDenied: { subcode: 'e:AccessDenied', action: FAULT_ACTION.wsman, code: 'a:Sender', captured: false,
    reason: 'The sender was not authorized to access the resource.' },
  alreadyExists: { subcode: 'e:AlreadyExists', action: FAULT_ACTION.wsman, code: 'a:Sender', captured: true,
    reason: 'The sender attempted to create a resource which already exists.' },
  invalidSelectors: { subcode: 'e:InvalidSelectors', action: FAULT_ACTION.wsman, code: 'a:Sender', captured: false,
    reason: 'The Selectors for the resource were not valid.' },
  invalidRepresentation: { subcode: 'd:InvalidRepresentation', action: FAULT_ACTION.wsman, code: 'a:Sender', captured: true,
    reason: 'The XML content is not valid.', detail: detail('InvalidValues') },
  invalidParameter: { subcode: 'e:InvalidParameter', action: FAULT_ACTION.wsman, code: 'a:Sender', captured: false,
    reason: 'An operation parameter was not valid.' },
  schemaValidationError: { subcode: 'e:SchemaValidationError', action: FAULT_ACTION.wsman, code: 'a:Sender', captured: false,
    reason: 'The supplied SOAP violates the corresponding XML Schema definition.' },
  encodingLimit: { subcode: 'e:EncodingLimit', action: FAULT_ACTION.wsman, code: 'a:Sender', captured: false,
    reason: 'An internal encoding limit was exceeded in a request or would be violated if the message were processed.' },
  unsupportedFeature: { subcode: 'e:UnsupportedFeature', action: FAULT_ACTION.wsman, code: 'a:Sender', captured: false,
    reason: 'The specified feature is not supported.' },
  invalidEnumerationContext: { subcode: 'c:InvalidEnumerationContext', action: FAULT_ACTION.enumeration, code: 'a:Receiver', captured: false,
    reason: 'The supplied enumeration context is invalid.' },
  notUnderstood: { subcode: '', action: FAULT_ACTION.addressing, code: 'a:MustUnderstand', captured: false,
    reason: 'Header not understood' },
  internalError: { subcode: 'e:InternalError', action: FAULT_ACTION.wsman, code: 'a:Receiver', captured: false,
    reason: 'The service cannot comply with the request due to internal processing errors.' },
  // AddAlarm with five alarms (MPS `wsmanResponses.ts` addAlarmClockOccurrenceQuotaLimitResponse, whose
  // MessageID repeats the duplicate capture's, so not counted as captured; MPS branches on this subcode).
  quotaLimit: { subcode: 'e:QuotaLimit', action: FAULT_ACTION.wsman, code: 'a:Sender', captured: false,
    reason: 'The service is busy servicing other requests.' },
} as const satisfies Record<string, FaultSpec>;

export type FaultName = keyof typeof FAULTS;

/** A fault decided by the dispatcher or a class handler; the handler turns it into the reply. */
export class WsmanFault extends VmeError {
  constructor(readonly fault: FaultName, message: string = FAULTS[fault].reason) {
    super('VME_ERR_WSMAN_FAULT', `${FAULTS[fault].subcode || FAULTS[fault].code}: ${message}`, { fault });
  }
}
