/**
 * AMT's access realms: the numbers `AMT_AuthorizationService` uses in `Realms` (AddUserAclEntryEx,
 * GetUserAclEntryEx; RealmValues ValueMap 0..24 in GWM `pkg/wsman/amt/authorization/types.go`,
 * after the AMT SDK) and the names vme's user table gives principals (`PT Administration`, ...).
 * Values 0 (Invalid), 1, 22 and 23 (Reserved) are not grantable and are left out.
 */
export const AMT_REALMS = {
  'Redirection': 2,
  'PT Administration': 3,
  'Hardware Asset': 4,
  'Remote Control': 5,
  'Storage': 6,
  'Event Manager': 7,
  'Storage Admin': 8,
  'Agent Presence Local': 9,
  'Agent Presence Remote': 10,
  'Circuit Breaker': 11,
  'Network Time': 12,
  'General Info': 13,
  'Firmware Update': 14,
  'EIT': 15,
  'Local UN': 16,
  'Endpoint Access Control': 17,
  'Endpoint Access Control Admin': 18,
  'Event Log Reader': 19,
  'Audit Log': 20,
  'ACL': 21,
  'Local System': 24,
} as const;

export type RealmName = keyof typeof AMT_REALMS;

/** Every grantable realm: what the built-in admin account holds. */
export const ALL_REALM_NAMES: readonly RealmName[] = Object.keys(AMT_REALMS) as RealmName[];

/** Realm name of a number (derived). */
export const REALM_NAME_OF: ReadonlyMap<number, RealmName> = new Map(ALL_REALM_NAMES.map((name) => [AMT_REALMS[name], name]));

export function isRealmName(name: string): name is RealmName {
  return Object.hasOwn(AMT_REALMS, name);
}

/**
 * A principal's realm strings as a set of realm names. Unknown strings grant nothing; a decimal
 * realm number is accepted too (ACL entries store numbers).
 */
export function principalRealms(realms: readonly string[]): ReadonlySet<RealmName> {
  const held = new Set<RealmName>();
  for (const realm of realms) {
    if (isRealmName(realm)) held.add(realm);
    else if (/^\d{1,2}$/.test(realm)) {
      const name = REALM_NAME_OF.get(Number(realm));
      if (name) held.add(name);
    }
  }
  return held;
}

/** The realm check: a pure function of what the principal holds and what the operation requires (any of). */
export function realmAllows(held: ReadonlySet<RealmName>, required: readonly RealmName[]): boolean {
  return required.some((realm) => held.has(realm));
}
