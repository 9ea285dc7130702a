/**
 * The platform-management app's interface to other apps and to in-process kernel clients
 * (status tools). Declared once; the kernel derives its dispatcher checks and callers their typed
 * client from it. The host reaches the same facts over HECI (MKHI, src/protocols/mkhi), and the
 * firmware status words (HFSTS1..6) a PCI config-space read would show through getFirmwareStatus.
 */
import { defineInterface } from '../../kernel/app-api.js';

const name = { type: 'string', maxLength: 32 } as const;
const word = { type: 'integer', min: 0, max: 0xffffffff } as const;

export const MKHI_INTERFACE = defineInterface({
  app: 'mkhi',
  operations: {
    getVersion: {
      args: {},
      reply: { firmware: name, svn: { type: 'integer', min: 0, max: 0xffffffff }, partition: name, app: name },
      allowedCallers: ['kernel'],
    },
    getCapabilities: {
      args: {},
      reply: { apps: { type: 'strings', maxItems: 32, maxLength: 8 } },
      allowedCallers: ['kernel'],
    },
    getStatus: {
      args: {},
      reply: { engineState: name, partition: name, bootCount: { type: 'integer', min: 0, max: 0xffffffff }, uptimeMs: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER } },
      allowedCallers: ['kernel'],
    },
    getFirmwareStatus: {
      args: {},
      reply: { hfsts1: word, hfsts2: word, hfsts3: word, hfsts4: word, hfsts5: word, hfsts6: word },
      allowedCallers: ['kernel'],
    },
  },
});
