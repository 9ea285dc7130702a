/**
 * Copy-me app. Steps: copy this folder to src/apps/<name>/, rename the interface, add the app to
 * manifests/default.json with the grants it needs (nothing more), and register it in
 * src/apps/registry.ts. The app runs in a worker shared with the same app of other platforms:
 * keep all state inside `start` (never at module level) and reach everything through `context`.
 */
import { AppError, defineApp } from '../../kernel/app-api.js';
import { TEMPLATE_INTERFACE } from './interface.js';

export default defineApp({
  interface: TEMPLATE_INTERFACE,
  start(context) {
    let greeted = 0; // in-memory state: reset when the supervisor restarts the app
    return {
      handlers: {
        hello: ({ name }) => {
          if (name.length === 0) throw new AppError('empty-name', 'say who to greet'); // a reply, not a fault
          greeted++;
          return { greeting: `hello ${name} from ${context.app} on ${context.platform.platformId}`, greeted };
        },
      },
    };
  },
});
