/**
 * Limits of the WS-Man XML parser (users-and-peers §5 item 4: cap body size, depth, counts; no
 * DTD). Checked while parsing, so an over-large request costs at most the limit's work.
 */
export interface WsmanLimits {
  /** UTF-8 bytes of the SOAP envelope. */
  readonly maxBodyBytes: number;
  /** Nesting depth of elements (the envelope is depth 1). */
  readonly maxDepth: number;
  /** Elements in the whole envelope. */
  readonly maxElements: number;
  /** Attributes (namespace declarations included) on one element. */
  readonly maxAttributes: number;
  /** Characters of text inside one element. */
  readonly maxTextChars: number;
}

export const DEFAULT_WSMAN_LIMITS: WsmanLimits = {
  maxBodyBytes: 256 * 1024,
  maxDepth: 32,
  maxElements: 4096,
  maxAttributes: 32,
  maxTextChars: 64 * 1024,
};
