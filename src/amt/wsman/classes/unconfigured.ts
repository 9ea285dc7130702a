/**
 * Shared pieces of the classes vme declares only in their factory, nothing-configured state while
 * the feature behind them is later work (CIRA, 802.1x, Wi-Fi; classes/group-remote-access.ts):
 * a list class that has no instances (Enumerate/Pull give an empty list; Get and Delete find
 * nothing: InvalidSelectors without selectors, DestinationUnreachable with unknown ones, as
 * selectors.ts decides for every class), and the refusal of a request that would turn a feature on.
 */
import type { ClassDeclaration, PropertyDecl, Schema } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { REALMS } from './common.js';

export type LaterFeature = 'CIRA' | '802.1x' | 'Wi-Fi';

/**
 * The fault for a request that would enable `feature`: UnsupportedFeature ("The specified feature
 * is not supported."; no AMT capture refuses such a change, the device would simply do it).
 */
export function featureNotSupported(feature: LaterFeature, what: string): WsmanFault {
  return new WsmanFault('unsupportedFeature', `${what}: vme does not support ${feature} yet (a later issue); only the unconfigured state is accepted`);
}

export interface EmptyListSpec {
  readonly name: string;
  readonly schema: Schema;
  readonly summary: string;
  readonly commonNamespace: boolean;
  /** In AMT's order, keys marked: what an instance would carry once the feature exists. */
  readonly properties: readonly PropertyDecl[];
  /** Declares Delete (RPS's unconfiguration deletes these by key; with nothing stored, it finds nothing). */
  readonly deletable?: boolean;
}

/** A class whose instances the unconfigured device does not have. */
export function emptyListClass(spec: EmptyListSpec): ClassDeclaration {
  const { deletable, ...rest } = spec;
  return {
    ...rest,
    instances: () => [],
    operations: {
      get: { realms: REALMS.administrationOrGeneralInfo },
      enumerate: { realms: REALMS.administrationOrGeneralInfo },
      // Never reached: with no instance, the selectors name nothing (selectors.ts) before apply runs.
      ...(deletable === true ? { delete: { realms: REALMS.administration, apply: () => { throw new WsmanFault('destinationUnreachable'); } } } : {}),
    },
    methods: [],
  };
}
