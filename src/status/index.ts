/** Host-side status over HECI (MEInfo/amtinfo equivalent) and the request helpers it uses. */
export * from './heci-requests.js';
export * from './status.js';
