/**
 * What `vme up` runs on the host side once the machine is up, as a real PC's OS would: LMS on the
 * host's loopback (127.0.0.1:16992/16993 by default, tunnelled to AMT over the LME HECI client),
 * and — unless `--unprovisioned` — client-control-mode activation through it with the admin
 * password kept in the state folder, so a console can manage the platform at once.
 */
import { startLms, type LmsAddress, type RunningLms } from '../../host/lms/index.js';
import { activateLocally, loadOrCreateAdminPassword } from '../../host/activation/index.js';

export interface LocalManagementOptions {
  /** The MEI device socket of the platform. */
  readonly device: string;
  readonly stateDir: string;
  /** LMS listen address, or undefined for no LMS (`--no-lms`). */
  readonly lmsAddress: string | undefined;
  /** Local port per AMT port (default the same numbers). */
  readonly lmsPorts?: Readonly<Record<number, number>>;
  readonly activate: boolean;
}

export interface LocalManagement {
  readonly lms: readonly LmsAddress[] | null;
  readonly lmsError?: string;
  /** 'activated' now, 'already' activated, 'skipped' (--unprovisioned or no LMS), 'failed'. */
  readonly activation: 'activated' | 'already' | 'skipped' | 'failed';
  readonly activationError?: string;
  /** Why the activation was skipped. */
  readonly skipped?: string;
  readonly controlMode?: number;
  readonly admin?: { readonly user: string; readonly password: string; readonly passwordFile: string };
  close(): Promise<void>;
}

/** Never throws: a failure is reported in the result (the machine keeps running). */
export async function startLocalManagement(options: LocalManagementOptions, say: (line: string) => void): Promise<LocalManagement> {
  let lms: RunningLms | undefined;
  let lmsError: string | undefined;
  if (options.lmsAddress !== undefined) {
    try {
      lms = await startLms({ device: options.device, address: options.lmsAddress, ...(options.lmsPorts ? { ports: options.lmsPorts } : {}), log: (line) => say(`LMS: ${line}`) });
    } catch (error) {
      lmsError = (error as Error).message;
      say(`LMS did not start: ${lmsError}`);
    }
  }
  const close = async (): Promise<void> => { await lms?.close(); };
  const base = { lms: lms?.addresses ?? null, ...(lmsError === undefined ? {} : { lmsError }), close };
  const http = lms?.addresses.find((a) => a.amtPort === 16992);
  if (!options.activate || http === undefined) {
    const skipped = options.activate ? 'LMS is not running, and host-based setup needs it' : '--unprovisioned';
    if (options.activate) say(`not activating AMT: ${skipped}`);
    return { ...base, activation: 'skipped', skipped };
  }
  try {
    const kept = await loadOrCreateAdminPassword(options.stateDir);
    const result = await activateLocally({ device: options.device, lms: { address: http.address, port: http.port }, password: kept.password });
    if (result.outcome === 'activated') say(`AMT activated in client control mode through LMS (realm ${result.realm ?? '?'})`);
    return { ...base, activation: result.outcome, controlMode: result.controlMode, admin: { user: 'admin', password: kept.password, passwordFile: kept.path } };
  } catch (error) {
    const activationError = (error as Error).message;
    say(`AMT activation failed: ${activationError}`);
    return { ...base, activation: 'failed', activationError };
  }
}
