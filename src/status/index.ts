/** Host-side status over HECI (MEInfo/amtinfo equivalent), the request helpers it uses, and `<state>/network.json`. */
export * from './heci-requests.js';
export * from './status.js';
export * from './network-file.js';
