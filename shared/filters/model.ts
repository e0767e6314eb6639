/**
 * The filter set: one model for the viewer, the saved `.logsieve-filters.json` file and the
 * exporters. The in-memory shape is the file's shape (version 1), so what the user saves is what
 * they see, key for key.
 *
 * Semantics (the reference matcher in `match.ts` is their executable form):
 * - The keys of a rule's `when` are ANDed; the values listed under one key are ORed. A key that is
 *   present always lists at least one value; `when` always has at least one key.
 * - `action`: `hide` (noise: hidden in the viewer, exported as "do not log"), `trust` (known hosts
 *   with bad certificates: hidden in the viewer, exported as a certificate-validation exception),
 *   `block` (shown and marked in the viewer, exported as a deny rule).
 * - Disabled rules stay in the set (and in exports, as a comment) but match nothing in the viewer.
 */

export const FILTER_SET_KIND = 'filter-set';
/** The version this LogSieve writes. Files with a higher version were saved by a newer LogSieve. */
export const FILTER_SET_VERSION = 1;

export const RULE_ACTIONS = ['hide', 'trust', 'block'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const FIELD_OPS = ['equals', 'contains', 'regex'] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

export interface FieldCondition {
  /** Name of a format-specific field, e.g. `x-rs-certificate-observed-errors`. */
  readonly name: string;
  readonly op: FieldOp;
  /** `equals`/`contains`: compared case-sensitively; `regex`: a JavaScript regular expression. */
  readonly value: string;
}

/** Every key is optional; a present key lists one or more values, ORed. */
export interface RuleConditions {
  /** Client/source address: one IPv4/IPv6 address, a CIDR (`172.16.1.0/24`) or `first-last`. */
  readonly srcIp?: readonly string[];
  /** Certificate host name: `name`, `*.domain` or `.domain` (see `net/host-pattern.ts`). */
  readonly certHost?: readonly string[];
  /** Requested host name, same patterns as `certHost`. */
  readonly host?: readonly string[];
  /** Signature tag id, exact. */
  readonly tag?: readonly string[];
  /** Code or event id as the log writes it (`125`, `CT_SOCKET_ERROR`), exact. */
  readonly code?: readonly string[];
  /** Source / provider / server name, exact. */
  readonly source?: readonly string[];
  /** Level as the format parser reports it, exact. */
  readonly level?: readonly string[];
  /** Case-sensitive substring of the message. */
  readonly text?: readonly string[];
  /** JavaScript regular expression (`u` flag) searched in the message. */
  readonly regex?: readonly string[];
  /** Named-field conditions, ORed like the values of any other key. */
  readonly field?: readonly FieldCondition[];
}

export type ConditionKey = keyof RuleConditions;

/** The order keys are validated, serialized and shown in. */
export const CONDITION_KEYS = [
  'srcIp',
  'certHost',
  'host',
  'tag',
  'code',
  'source',
  'level',
  'text',
  'regex',
  'field',
] as const satisfies readonly ConditionKey[];

export interface FilterRule {
  /** Unique in its set; `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 64 characters (see `RULE_ID`). */
  readonly id: string;
  readonly enabled: boolean;
  readonly action: RuleAction;
  readonly when: RuleConditions;
  readonly comment?: string;
}

export interface FilterSet {
  readonly logsieve: typeof FILTER_SET_KIND;
  readonly version: typeof FILTER_SET_VERSION;
  readonly name: string;
  readonly rules: readonly FilterRule[];
}

/**
 * Rule ids end up in device configuration (CPL labels, comments), so they are restricted to
 * characters that are inert there.
 */
export const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
