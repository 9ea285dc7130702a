/** Public API of the AMT TLS side: device certificate at first boot, profiles, committed settings. */
export {
  MemoryCertificateStore, certificateFingerprints, generateDeviceCertificate, loadOrCreateDeviceCertificate,
  type DeviceCertificateOptions, type DeviceCertificateStore, type DeviceCredential,
} from './device-certificate.js';
export { TLS_PROFILES, type TlsProfile, type TlsProfileName } from './tls-profiles.js';
export { TlsSettings, type ActiveTls, type TlsConfig } from './tls-settings.js';
