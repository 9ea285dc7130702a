/**
 * Remote setup: the provisioning certificate hash table. The list shows each entry with its state;
 * an entry's screen shows its algorithm and digest and offers activate/deactivate and delete; "Add
 * New Hash" asks for a name and a hex digest (SHA-1, SHA-256 or SHA-384 by its length).
 */
import type { CertificateHashEntry, HashAlgorithm } from '../../amt-state/index.js';
import { isMebxRefused } from '../../protocols/mebx/index.js';
import { ConfirmView } from './choice-view.js';
import { MenuView, type MenuItem } from './menu-view.js';
import { PromptView } from './prompt-view.js';
import type { View, ViewContext } from './view.js';

const HEADING = 'MANAGE CERTIFICATE HASHES';
const ALGORITHM_BY_HEX_LENGTH: Readonly<Record<number, HashAlgorithm>> = { 40: 'sha1', 64: 'sha256', 96: 'sha384' };
const back: MenuItem = { label: 'Previous Menu', action: (context) => context.pop() };

async function readTable(context: ViewContext): Promise<CertificateHashEntry[]> {
  const handles = await context.client.enumerateHashes();
  const entries: CertificateHashEntry[] = [];
  for (const handle of handles) entries.push(await context.client.getHash(handle));
  return entries;
}

export function hashListView(): View {
  let entries: CertificateHashEntry[] = [];
  return new MenuView({
    heading: HEADING,
    load: async (context) => void (entries = await readTable(context)),
    items: () => [
      ...entries.map((entry): MenuItem => ({ label: entry.name.slice(0, 44), value: entry.isActive ? 'Active' : 'Inactive', action: (c) => c.push(hashView(entry.handle)) })),
      { label: 'Add New Hash', action: (c) => c.push(namePrompt()) },
      back,
    ],
  });
}

function hashView(handle: number): View {
  let entry: CertificateHashEntry | undefined;
  const hex = (): string => Buffer.from(entry?.hash ?? new Uint8Array()).toString('hex').toUpperCase();
  return new MenuView({
    heading: 'CERTIFICATE HASH',
    load: async (context) => void (entry = await context.client.getHash(handle).catch((error: unknown) => {
      if (isMebxRefused(error, 'notFound')) return undefined; // deleted: the caller goes back to the list
      throw error;
    })),
    items: () => {
      if (!entry) return [back];
      const current = entry;
      const digest = hex();
      return [
        { label: `Name: ${current.name}`, info: true },
        { label: `Algorithm: ${current.algorithm.toUpperCase()}   Default: ${current.isDefault ? 'Yes' : 'No'}`, info: true },
        { label: `${digest.slice(0, 48)}`, info: true },
        ...(digest.length > 48 ? [{ label: digest.slice(48), info: true }] : []),
        { label: `State: ${current.isActive ? 'Active' : 'Inactive'}`, info: true },
        { label: '', info: true },
        {
          label: current.isActive ? 'Deactivate Hash' : 'Activate Hash',
          action: async (c) => {
            await c.client.setHashActive(handle, !current.isActive);
            entry = await c.client.getHash(handle);
            c.status(`Hash ${JSON.stringify(current.name)} ${current.isActive ? 'deactivated' : 'activated'}`, 'info');
          },
        },
        { label: 'Delete Hash', action: (c) => c.push(deleteConfirm(current)) },
        back,
      ];
    },
  });
}

function deleteConfirm(entry: CertificateHashEntry): View {
  return new ConfirmView({
    heading: 'CERTIFICATE HASH', lines: [`Delete the hash ${JSON.stringify(entry.name.slice(0, 40))}?`],
    yes: async (context) => {
      await context.client.deleteHash(entry.handle);
      await context.pop();
      await context.pop();
      context.status(`Hash ${JSON.stringify(entry.name)} deleted`, 'info');
    },
  });
}

function namePrompt(): View {
  return new PromptView({
    heading: HEADING, label: 'Certificate hash name', maxLength: 64,
    submit: async (text, context) => {
      if (!/^[\x20-\x7e]{1,64}$/.test(text)) return context.status('Error - Name must be 1-64 printable characters', 'error');
      await context.replace(digestPrompt(text));
    },
    cancel: (context) => context.pop(),
  });
}

function digestPrompt(name: string): View {
  return new PromptView({
    heading: HEADING, label: 'Certificate hash (hex)', lines: ['40 (SHA-1), 64 (SHA-256) or 96 (SHA-384) hex digits'], maxLength: 96,
    submit: async (text, context) => {
      const clean = text.trim().toLowerCase();
      const algorithm = ALGORITHM_BY_HEX_LENGTH[clean.length];
      if (!algorithm || !/^[0-9a-f]*$/.test(clean)) return context.status('Error - Enter 40, 64 or 96 hex digits', 'error');
      await context.client.addHash({ name, algorithm, hash: Uint8Array.from(Buffer.from(clean, 'hex')), isActive: true });
      await context.pop();
      context.status(`Hash ${JSON.stringify(name)} added`, 'info');
    },
    cancel: (context) => context.pop(),
  });
}
