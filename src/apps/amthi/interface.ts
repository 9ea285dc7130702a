/**
 * The AMT host interface app's interface to in-process kernel clients: the provisioning state and
 * control mode (`vme status`), and the hash of AMT's own TLS certificate, which whoever owns that
 * certificate reports (StartConfigurationHBased returns it). The host reaches the full PTHI command
 * set over HECI (src/protocols/pthi).
 */
import { defineInterface } from '../../kernel/app-api.js';

export const AMTHI_INTERFACE = defineInterface({
  app: 'amthi',
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
  },
});
