/**
 * The default provisioning-certificate hash table this engine ships. The brief (amt-protocol.md
 * §6.3) does not list the root CA hashes real AMT firmware carries, so this is a SMALL,
 * CLEARLY-LABELLED STAND-IN SET: SHA-256 fingerprints of the DER of well-known public roots that
 * commercial provisioning certificates chain to, computed from the Mozilla root store bundled with
 * Node.js 20 (a test recomputes them from `tls.rootCertificates`). Whether each root is in a given
 * AMT release's list is not verified.
 */
import type { HashAlgorithm } from './types.js';

export interface DefaultHash {
  readonly name: string;
  readonly algorithm: HashAlgorithm;
  readonly sha256: string;
}

export const DEFAULT_CERTIFICATE_HASHES: readonly DefaultHash[] = [
  { name: 'DigiCert Global Root CA', algorithm: 'sha256', sha256: '4348a0e9444c78cb265e058d5e8944b4d84f9662bd26db257f8934a443c70161' },
  { name: 'DigiCert Assured ID Root CA', algorithm: 'sha256', sha256: '3e9099b5015e8f486c00bcea9d111ee721faba355a89bcf1df69561e3dc6325c' },
  { name: 'DigiCert High Assurance EV Root CA', algorithm: 'sha256', sha256: '7431e5f4c3c1ce4690774f0b61e05440883ba9a01ed00ba6abd7806ed3b118cf' },
  { name: 'Go Daddy Root Certificate Authority - G2', algorithm: 'sha256', sha256: '45140b3247eb9cc8c5b4f0d7b53091f73292089e6e5a63e2749dd3aca9198eda' },
  { name: 'Starfield Root Certificate Authority - G2', algorithm: 'sha256', sha256: '2ce1cb0bf9d2f9e102993fbe215152c3b2dd0cabde1c68e5319b839154dbb7f5' },
  { name: 'Entrust Root Certification Authority', algorithm: 'sha256', sha256: '73c176434f1bc6d5adf45b0e76e727287c8de57616c1e6e6141a2b2cbc7d8e4c' },
  { name: 'Entrust Root Certification Authority - G2', algorithm: 'sha256', sha256: '43df5774b03e7fef5fe40d931a7bedf1bb2e6b42738c4e6d3841103d3aa7f339' },
  { name: 'GlobalSign Root CA - R3', algorithm: 'sha256', sha256: 'cbb522d7b7f127ad6a0113865bdf1cd4102e7d0759af635a7cf4720dc963c53b' },
];
