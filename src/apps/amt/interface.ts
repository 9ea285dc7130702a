/**
 * The AMT app's interface to in-process kernel clients and other apps: the provisioning state and
 * control mode (`vme status`), the MEBX feature settings (mkhi reports them as the FWCAPS feature
 * state), the network identity (Digest realm, device certificate, address: what a console pins),
 * and client-control activation (the host-side `rpc-go activate -local` equivalent `vme up` uses).
 * The host reaches the full PTHI command set over HECI (src/protocols/pthi), the network WS-Man
 * over ports 16992/16993.
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
    /** The MEBX settings as they are in NVRAM now (any time, not only pre-boot): AMT on/off and its features. */
    getMebxSettings: {
      args: {},
      reply: { amtEnabled: { type: 'boolean' }, sol: { type: 'boolean' }, ider: { type: 'boolean' }, kvm: { type: 'boolean' } },
      allowedCallers: ['mkhi', 'kernel'],
    },
    /** The Digest realm, the device certificate (PEM) new TLS connections get, the address the ports listen on. */
    networkIdentity: {
      args: {},
      reply: { realm: { type: 'string', maxLength: 40 }, certificatePem: { type: 'string', maxLength: 8192 }, address: { type: 'string', maxLength: 64 } },
      allowedCallers: ['kernel'],
    },
    /**
     * Client control mode with `password` as the admin's (IPS_HostBasedSetupService.Setup over the
     * local interface); `returnValue` is Setup's (0 success, 2 invalid state: already activated, ...).
     */
    activate: {
      args: { password: { type: 'string', maxLength: 32 } },
      reply: { returnValue: { type: 'integer', min: 0, max: 0xffffffff } },
      allowedCallers: ['kernel'],
    },
  },
});
