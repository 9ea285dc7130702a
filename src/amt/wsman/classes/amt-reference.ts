/** EPRs to AMT class instances as AMT writes them in method outputs and associations (brief §2.3: Address = the anonymous role). */
import { ANONYMOUS, SCHEMA_BASE } from '../namespaces.js';
import type { EndpointReference } from '../request.js';

/** An EPR to the `className` instance with these selectors. */
export function amtReference(className: string, selectors: Record<string, string>): EndpointReference {
  return { address: ANONYMOUS, resourceUri: SCHEMA_BASE.AMT + className, selectors: new Map(Object.entries(selectors)) };
}
