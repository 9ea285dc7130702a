/** Human-readable text for `vme image verify` and `vme image inspect`. */
import { formatBootLog } from '../../rom/index.js';
import { versionText } from '../../me/index.js';
import type { ImageBootResult, InspectReport } from '../../image/index.js';

const hex = (n: number, width = 6): string => `0x${n.toString(16).toUpperCase().padStart(width, '0')}`;

/** Lay rows out as aligned columns. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderBoot(boot: ImageBootResult): string {
  const fw = boot.firmware;
  const v = fw ? versionText(fw.version) : '';
  const summary = boot.state === 'down'
    ? 'result: DOWN — no partition passed every check; the engine stays down'
    : `result: ${boot.state.toUpperCase()} — boots ${boot.partition} firmware ${v} (SVN ${fw?.svn ?? '?'}, ARB SVN ${fw?.arbSvn ?? '?'}) for ${fw?.platformId ?? '?'}; apps: ${fw?.apps.map((a) => a.name).join(', ') ?? ''}`;
  return `${formatBootLog(boot.log)}\n${summary}`;
}

function renderAccess(r: InspectReport): string {
  const names = r.regions.map((x) => x.name);
  const rows = Object.entries(r.access).map(([master, a]) => [
    master, hex(a.raw, 8), ...names.map((n) => `${a.read.includes(n) ? 'r' : '-'}${a.write.includes(n) ? 'w' : '-'}`),
  ]);
  return table(['master', 'FLMSTR', ...names], rows);
}

function renderCode(r: InspectReport): string[] {
  return r.code.flatMap((c) => [
    '',
    `${c.name} @ ${hex(c.offset)}: firmware ${c.version}, SVN ${c.svn}, ARB SVN ${c.arbSvn ?? '?'}, platform ${c.platformId}, built ${c.date}`,
    `  key ${c.keyHash.slice(0, 16)}... (${c.keyTrust === 'unknown' ? 'trust unknown: no fuse file' : c.keyTrust}); ` +
      `${c.verified ? 'signature, hashes, binding and rollback checks: ok' : `FAILS ${c.failedCheck}: ${c.failure ?? ''}`}`,
    `  apps: ${c.apps.join(', ') || '(none verified)'}`,
    ...c.modules.map((m) => `  module ${m.name.padEnd(8)} ${String(m.size).padStart(6)} bytes  sha256 ${m.sha256.slice(0, 16)}...`),
  ]);
}

export function renderInspect(r: InspectReport): string {
  const out: string[] = [`image: ${r.size} bytes (${(r.size / 1024 / 1024).toFixed(0)} MiB)`];
  if (r.descriptor) {
    out.push(`descriptor: IFD v2 at 0x10, ${r.descriptor.locked ? 'locked' : 'NOT locked'}, HAP ${r.descriptor.hap ? 'set' : 'clear'}`, '');
    out.push(table(['#', 'region', 'base', 'limit', 'size'], r.regions.map((x) => [String(x.index), x.name, hex(x.base), hex(x.limit), hex(x.size)])), '');
    out.push(renderAccess(r));
  }
  if (r.fmap) out.push('', `FMAP @ ${hex(r.fmap.offset)}: ${r.fmap.areas.map((a) => `${a.name} ${hex(a.offset)}+${hex(a.size)}`).join(', ')}`);
  if (r.gbe) out.push(`GbE MAC ${r.gbe.mac}`);
  if (r.biosVolume) out.push(`BIOS UEFI volume @ ${hex(r.biosVolume.offset)}, ${r.biosVolume.length} bytes, ${r.biosVolume.files.length} files`);
  if (r.partitions.length) {
    out.push('', table(['partition', 'type', 'offset', 'size', 'contents'], r.partitions.map((p) => [
      p.name, p.type === 0 ? 'code' : 'data', hex(p.offset), hex(p.size), p.erased === null ? 'signed code' : p.erased ? 'erased' : 'data',
    ])));
  }
  out.push(...renderCode(r));
  for (const e of r.errors) out.push(`ERROR in ${e.section}: ${e.code}: ${e.message}`);
  return out.join('\n');
}
