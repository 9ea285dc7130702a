/**
 * Typed audit events the Digest layer reports through `onSecurityEvent`: the AMT app turns them
 * into audit-log records ("Authentication failed x times. The system may be under attack.").
 */

/** Why a login did not succeed. `locked` means refused unchecked because the account is locked. */
export type LoginFailureReason =
  | 'unknown-user'
  | 'bad-response'
  | 'malformed'
  | 'unsupported-algorithm'
  | 'realm-mismatch'
  | 'uri-mismatch'
  | 'replayed-nonce-count'
  | 'locked';

export interface RemoteEndpoint {
  readonly address: string;
  readonly port: number;
}

export type SecurityEvent =
  | {
      readonly kind: 'login-failed';
      readonly at: number;
      readonly user: string;
      readonly reason: LoginFailureReason;
      readonly consecutiveFailures: number;
      readonly remote?: RemoteEndpoint;
    }
  | {
      readonly kind: 'locked-out';
      readonly at: number;
      readonly user: string;
      readonly lockMs: number;
      readonly until: number;
      readonly consecutiveFailures: number;
    }
  | { readonly kind: 'lock-released'; readonly at: number; readonly user: string };

export type SecurityEventListener = (event: SecurityEvent) => void;
