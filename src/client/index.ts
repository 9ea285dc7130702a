/** The remote-management client library the CLI, tests and benchmarks use to talk to AMT. */
export { DigestSession, type AmtEndpoint, type AmtReply } from './digest-session.js';
export { envelope, propertiesOf, resourceUri, WsmanClient, WsmanError, type Inputs, type Properties } from './wsman-client.js';
export { activateClientControlMode, type ActivationResult } from './activate.js';
