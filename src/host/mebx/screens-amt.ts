/**
 * The main menu, ME General Settings and Intel(R) AMT Configuration with its sub-menus
 * (manageability feature selection, SOL/storage redirection/KVM, user consent, remote setup,
 * unprovision). Every change is one setSettings to the engine, then a fresh read.
 */
import type { MebxSettings, UserConsentPolicy } from '../../amt-state/index.js';
import { ChoiceView, ConfirmView } from './choice-view.js';
import { MenuView, type MenuItem } from './menu-view.js';
import { hashListView } from './screens-hashes.js';
import { exitConfirm, newPasswordView } from './screens-login.js';
import { networkMenu } from './screens-network.js';
import type { View, ViewContext } from './view.js';

export const onOff = (value: boolean): string => (value ? 'Enabled' : 'Disabled');
const CONSENT_LABEL: Readonly<Record<UserConsentPolicy, string>> = { none: 'NONE', kvm: 'KVM', all: 'ALL' };
const PROVISIONING_LABEL = { pre: 'Pre-provisioning', in: 'In-provisioning', post: 'Post-provisioning' } as const;
const CONTROL_LABEL = { none: 'None', client: 'Client Control Mode', admin: 'Admin Control Mode' } as const;

/** Reads the settings, applies `change`, writes them, reads them back, and says `message`. */
export async function applySettings(context: ViewContext, change: (settings: MebxSettings) => MebxSettings, message: string): Promise<void> {
  const current = await context.refresh();
  await context.client.setSettings(change(current.settings));
  await context.refresh();
  context.status(message, 'info');
}

const back: MenuItem = { label: 'Previous Menu', action: (context) => context.pop() };
const gap: MenuItem = { label: '', info: true };

export function mainMenu(): View {
  return new MenuView({
    heading: 'MAIN MENU',
    items: () => [
      { label: 'Intel(R) ME General Settings', action: (context) => context.push(generalMenu()) },
      { label: 'Intel(R) AMT Configuration', action: (context) => context.push(amtMenu()) },
      { label: 'MEBx Exit', action: (context) => context.push(exitConfirm()) },
    ],
    back: (context) => context.push(exitConfirm()),
  });
}

function generalMenu(): View {
  return new MenuView({
    heading: 'INTEL(R) ME GENERAL SETTINGS',
    items: () => [{ label: 'Change ME Password', action: (context) => context.push(newPasswordView(false)) }, back],
  });
}

/** A pop-up choosing Enabled or Disabled for one flag. */
function toggle(heading: string, title: string, current: boolean, apply: (settings: MebxSettings, value: boolean) => MebxSettings): ChoiceView<boolean> {
  return new ChoiceView({
    heading, title, current, choices: [{ label: 'Enabled', value: true }, { label: 'Disabled', value: false }],
    choose: async (value, context) => {
      await context.pop();
      await applySettings(context, (settings) => apply(settings, value), `${title}: ${onOff(value)}`);
    },
  });
}

function amtMenu(): View {
  const heading = 'INTEL(R) AMT CONFIGURATION';
  return new MenuView({
    heading, load: async (context) => void (await context.refresh()),
    items: (context) => {
      const view = context?.settings();
      if (!view) return [back];
      const { settings } = view;
      const manageability: MenuItem = {
        label: 'Manageability Feature Selection', value: onOff(settings.amtEnabled),
        action: (c) => c.push(toggle(heading, 'Manageability Feature Selection', settings.amtEnabled, (s, amtEnabled) => ({ ...s, amtEnabled }))),
      };
      if (!settings.amtEnabled) return [manageability, back];
      return [
        manageability,
        { label: 'SOL/Storage Redirection/KVM', action: (c) => c.push(redirectionMenu()) },
        { label: 'User Consent', action: (c) => c.push(consentMenu()) },
        { label: 'Network Setup', action: (c) => c.push(networkMenu()) },
        { label: 'Remote Setup And Configuration', action: (c) => c.push(remoteSetupMenu()) },
        { label: 'Unconfigure Network Access', action: (c) => c.push(unconfigureMenu()) },
        back,
      ];
    },
  });
}

function redirectionMenu(): View {
  const heading = 'SOL/STORAGE REDIRECTION/KVM';
  const feature = (label: string, name: 'sol' | 'ider' | 'kvm', settings: MebxSettings): MenuItem => ({
    label, value: onOff(settings.features[name]),
    action: (c) => c.push(toggle(heading, label, settings.features[name], (s, value) => ({ ...s, features: { ...s.features, [name]: value } }))),
  });
  return new MenuView({
    heading,
    items: (context) => {
      const settings = context?.settings()?.settings;
      if (!settings) return [back];
      return [feature('SOL', 'sol', settings), feature('Storage Redirection', 'ider', settings), feature('KVM Feature Selection', 'kvm', settings), back];
    },
  });
}

function consentMenu(): View {
  const heading = 'USER CONSENT';
  return new MenuView({
    heading,
    items: (context) => {
      const current = context?.settings()?.settings.userConsent;
      if (!current) return [back];
      const choose = new ChoiceView<UserConsentPolicy>({
        heading, title: 'User Opt-in', current, choices: (['none', 'kvm', 'all'] as const).map((value) => ({ label: CONSENT_LABEL[value], value })),
        choose: async (userConsent, c) => {
          await c.pop();
          await applySettings(c, (s) => ({ ...s, userConsent }), `User Opt-in: ${CONSENT_LABEL[userConsent]}`);
        },
      });
      return [{ label: 'User Opt-in', value: CONSENT_LABEL[current], action: (c) => c.push(choose) }, back];
    },
  });
}

function remoteSetupMenu(): View {
  return new MenuView({
    heading: 'REMOTE SETUP AND CONFIGURATION', load: async (context) => void (await context.refresh()),
    items: (context) => {
      const view = context?.settings();
      return [
        { label: 'Provisioning State', value: view ? PROVISIONING_LABEL[view.provisioningState] : '?', info: true },
        { label: 'Control Mode', value: view ? CONTROL_LABEL[view.controlMode] : '?', info: true },
        gap,
        { label: 'Manage Hashes', action: (c) => c.push(hashListView()) },
        back,
      ];
    },
  });
}

function unconfigureMenu(): View {
  const confirm = new ConfirmView({
    heading: 'UNCONFIGURE NETWORK ACCESS',
    lines: ['Full unprovision: Intel(R) AMT returns to pre-provisioning,', 'administrator hashes are removed, defaults restored.', 'Continue?'],
    yes: async (context) => {
      await context.client.unprovision();
      await context.pop();
      await context.refresh();
      context.status('Full unprovision complete', 'info');
    },
  });
  return new MenuView({
    heading: 'UNCONFIGURE NETWORK ACCESS',
    items: () => [{ label: 'Full Unprovision', action: (c) => c.push(confirm) }, back],
  });
}
