/**
 * The AMT app's interface to in-process kernel clients and other apps: the
 * provisioning state and control mode (`vme status`), the hash of AMT's own TLS certificate, which
 * whoever owns that certificate reports (StartConfigurationHBased returns it), and the MEBX feature
 * settings, which mkhi reports as the FWCAPS feature state. The host reaches the full PTHI command
 * set over HECI (src/protocols/pthi).
 */
import { defineInterface } from '../../kernel/app-api.js';

export const AMT_INTERFACE = defineInterface({
  app: 'amt',
  operations: {
    getProvisioning: {
      args: {},
      reply: { state: { type: 'string', maxLength: 8 }, mode: { type: 'string', maxLength: 8 } },
      allowedCallers: ['kernel'],
    },
    setAmtCertificateHash: {
      args: { algorithm: { type: 'string', maxLength: 8 }, hash: { type: 'bytes', maxBytes: 64 } },
      reply: {},
      allowedCallers: ['kernel'],
    },
    /** The MEBX settings as they are in NVRAM now (any time, not only pre-boot): AMT on/off and its features. */
    getMebxSettings: {
      args: {},
      reply: { amtEnabled: { type: 'boolean' }, sol: { type: 'boolean' }, ider: { type: 'boolean' }, kvm: { type: 'boolean' } },
      allowedCallers: ['mkhi', 'kernel'],
    },
  },
});
