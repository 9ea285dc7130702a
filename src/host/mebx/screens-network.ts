/**
 * Network setup: the wired LAN's IPv4 configuration. Choosing DHCP Mode "Disabled" asks in turn
 * for the address, subnet mask, gateway and DNS servers (blank = none for the last three) and
 * sends them together; with a static address each field can then be changed on its own. The
 * screen checks the dotted form; the engine checks that the addresses make sense together.
 */
import type { MebxNetwork, MebxSettings } from '../../amt-state/index.js';
import { parseIpv4 } from '../../protocols/mebx/index.js';
import { ChoiceView } from './choice-view.js';
import { MenuView, type MenuItem } from './menu-view.js';
import { PromptView } from './prompt-view.js';
import { applySettings, onOff } from './screens-amt.js';
import type { View, ViewContext } from './view.js';

const HEADING = 'WIRED LAN IPV4 CONFIGURATION';
type StaticNetwork = Extract<MebxNetwork, { mode: 'static' }>;
type Field = 'address' | 'subnetMask' | 'gateway' | 'dns0' | 'dns1';

const FIELDS: readonly { readonly field: Field; readonly label: string; readonly optional: boolean }[] = [
  { field: 'address', label: 'IPV4 Address', optional: false },
  { field: 'subnetMask', label: 'Subnet Mask Address', optional: false },
  { field: 'gateway', label: 'Default Gateway Address', optional: true },
  { field: 'dns0', label: 'Preferred DNS Address', optional: true },
  { field: 'dns1', label: 'Alternate DNS Address', optional: true },
];

const NONE = '0.0.0.0';
const EMPTY: StaticNetwork = { mode: 'static', address: NONE, subnetMask: NONE, gateway: NONE, dns: [] };

function read(network: StaticNetwork, field: Field): string {
  if (field === 'dns0') return network.dns[0] ?? NONE;
  if (field === 'dns1') return network.dns[1] ?? NONE;
  return network[field];
}

function write(network: StaticNetwork, field: Field, value: string): StaticNetwork {
  if (field !== 'dns0' && field !== 'dns1') return { ...network, [field]: value };
  const dns = [read(network, 'dns0'), read(network, 'dns1')];
  dns[field === 'dns0' ? 0 : 1] = value;
  return { ...network, dns: dns.filter((each) => each !== NONE) };
}

const withNetwork = (network: MebxNetwork) => (settings: MebxSettings): MebxSettings => ({ ...settings, network });

/** A prompt for one address; blank means none where that is allowed. */
function addressPrompt(label: string, initial: string, optional: boolean, done: (value: string, context: ViewContext) => Promise<void>): View {
  return new PromptView({
    heading: HEADING, label, lines: optional ? ['Leave blank for none.'] : [], maxLength: 15, initial: initial === NONE ? '' : initial,
    submit: async (text, context) => {
      const value = text.trim() === '' && optional ? NONE : text.trim();
      if (parseIpv4(value) === undefined || (!optional && value === NONE)) return context.status(`Error - ${JSON.stringify(text)} is not an IPv4 address`, 'error');
      await done(value, context);
    },
    cancel: (context) => context.pop(),
  });
}

/** The static-address questions one after another, then one setSettings. */
function staticWizard(step: number, draft: StaticNetwork): View {
  const spec = FIELDS[step] as (typeof FIELDS)[number];
  return addressPrompt(spec.label, read(draft, spec.field), spec.optional, async (value, context) => {
    const next = write(draft, spec.field, value);
    if (step + 1 < FIELDS.length) return context.replace(staticWizard(step + 1, next));
    await context.pop();
    await applySettings(context, withNetwork(next), `Static IPv4 address ${next.address} set`);
  });
}

export function networkMenu(): View {
  const dhcp = (current: boolean): ChoiceView<boolean> => new ChoiceView({
    heading: HEADING, title: 'DHCP Mode', current, choices: [{ label: 'Enabled', value: true }, { label: 'Disabled', value: false }],
    choose: async (enabled, context) => {
      if (!enabled) return context.replace(staticWizard(0, context.settings()?.settings.network.mode === 'static' ? context.settings()?.settings.network as StaticNetwork : EMPTY));
      await context.pop();
      await applySettings(context, withNetwork({ mode: 'dhcp' }), 'DHCP Mode: Enabled');
    },
  });
  return new MenuView({
    heading: HEADING, load: async (context) => void (await context.refresh()),
    items: (context) => {
      const network = context?.settings()?.settings.network;
      if (!network) return [{ label: 'Previous Menu', action: (c) => c.pop() }];
      const items: MenuItem[] = [{ label: 'DHCP Mode', value: onOff(network.mode === 'dhcp'), action: (c) => c.push(dhcp(network.mode === 'dhcp')) }];
      if (network.mode === 'static') {
        for (const { field, label, optional } of FIELDS) {
          items.push({
            label, value: read(network, field),
            action: (c) => c.push(addressPrompt(label, read(network, field), optional, async (value, cc) => {
              await cc.pop();
              await applySettings(cc, withNetwork(write(network, field, value)), `${label}: ${value}`);
            })),
          });
        }
      }
      return [...items, { label: 'Previous Menu', action: (c) => c.pop() }];
    },
  });
}
