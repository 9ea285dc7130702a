/**
 * Login, the password change (forced after the factory password, or from ME General Settings) and
 * leaving MEBX. The screen checks the password rules before asking the engine, which checks them
 * again.
 */
import { PASSWORD_LIMITS, PASSWORD_RULE_TEXT, checkMebxPassword } from '../../protocols/mebx/index.js';
import { ConfirmView, MessageView } from './choice-view.js';
import { PromptView } from './prompt-view.js';
import { mainMenu } from './screens-amt.js';
import type { View, ViewContext } from './view.js';

const RULES = ['8-32 characters with upper and lower case letters,', 'a digit and a symbol; not : , or "'];

export function loginView(): View {
  const view: PromptView = new PromptView({
    heading: 'MEBx LOGIN', label: 'Intel(R) ME Password', masked: true, maxLength: PASSWORD_LIMITS.fieldBytes,
    submit: async (text, context) => {
      const outcome = await context.client.login(text);
      if (outcome.status === 'lockedOut') return context.replace(lockedView());
      if (outcome.status === 'authenticationFailed') {
        view.clear();
        return context.status(`Error - Invalid password (${outcome.attemptsLeft} attempt(s) left)`, 'error');
      }
      if (outcome.changeRequired) {
        await context.replace(newPasswordView(true));
        return context.status('The default password must be changed', 'info');
      }
      await context.reset(mainMenu());
      context.status('Login successful', 'info');
    },
    cancel: (context) => context.push(exitConfirm()),
  });
  return view;
}

function lockedView(): View {
  return new MessageView('MEBx LOGIN', ['Error - Too many failed attempts.', 'Intel(R) ME refuses logins until the system restarts.'], (context) => context.exit());
}

/** The new-password prompt; `forced`: after the factory password, and cannot be cancelled. */
export function newPasswordView(forced: boolean): View {
  const view: PromptView = new PromptView({
    heading: forced ? 'CHANGE THE DEFAULT PASSWORD' : 'CHANGE ME PASSWORD', label: 'Intel(R) ME New Password', lines: RULES,
    masked: true, maxLength: PASSWORD_LIMITS.fieldBytes,
    submit: async (text, context) => {
      const rule = checkMebxPassword(text);
      if (rule !== 'ok') {
        view.clear();
        return context.status(`Error - ${PASSWORD_RULE_TEXT[rule]}`, 'error');
      }
      await context.replace(verifyView(text, forced));
    },
    ...(forced ? {} : { cancel: (context: ViewContext) => context.pop() }),
  });
  return view;
}

function verifyView(first: string, forced: boolean): View {
  return new PromptView({
    heading: forced ? 'CHANGE THE DEFAULT PASSWORD' : 'CHANGE ME PASSWORD', label: 'Verify Password', masked: true, maxLength: PASSWORD_LIMITS.fieldBytes,
    submit: async (text, context) => {
      if (text !== first) {
        await context.replace(newPasswordView(forced));
        return context.status('Error - Passwords do not match', 'error');
      }
      const rule = await context.client.changePassword(text);
      if (rule !== 'ok') {
        await context.replace(newPasswordView(forced));
        return context.status(`Error - ${PASSWORD_RULE_TEXT[rule]}`, 'error');
      }
      await (forced ? context.reset(mainMenu()) : context.pop());
      context.status('Intel(R) ME password changed', 'info');
    },
    ...(forced ? {} : { cancel: (context: ViewContext) => context.pop() }),
  });
}

export function exitConfirm(): View {
  return new ConfirmView({
    heading: 'MEBx EXIT', lines: ['Are you sure you want to exit MEBx?'],
    yes: async (context) => {
      if (context.client.loggedIn) await context.client.logout().catch(() => undefined);
      context.exit();
    },
  });
}
