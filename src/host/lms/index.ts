/** Public API of `vme lms`: start the Local Manageability Service in-process, and its LME transport. */
export { startLms, DEFAULT_LMS_PORTS, type StartLmsOptions, type RunningLms, type LmsAddress } from './lms.js';
export { openMeiTransport, type LmeTransport, type LmeReceiver, type MeiLike, type MeiTransportOptions } from './transport.js';
