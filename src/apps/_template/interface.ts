/**
 * Copy-me: the interface your app serves, declared once. Rename `template` to your app's name
 * (a-z, 0-9, _; at most 8), list each operation's fields with their limits and who may call it.
 */
import { defineInterface } from '../../kernel/app-api.js';

export const TEMPLATE_INTERFACE = defineInterface({
  app: 'template',
  operations: {
    hello: {
      args: { name: { type: 'string', maxLength: 32 } },
      reply: { greeting: { type: 'string', maxLength: 64 }, greeted: { type: 'integer', min: 0, max: 0xffffffff } },
      allowedCallers: ['kernel'],
    },
  },
});
