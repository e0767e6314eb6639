import { err, ok, type Result } from '../result';
import type { InvalidValue } from './address';

/**
 * Host-name patterns for `certHost` and `host` rules. Three forms, all case-insensitive and all
 * on label boundaries (`example.com` never matches `badexample.com`):
 *
 * - `intranet.example.com` (exact): that name only.
 * - `*.legacy.example.com` (subdomains): one or more labels below `legacy.example.com`, not the
 *   name itself. One *or more*, unlike a TLS wildcard certificate (exactly one label): a filter
 *   names a zone of hosts, and "every name ending in `.legacy.example.com`" is also what devices
 *   can express exactly (CPL `url.host.suffix=.legacy.example.com`).
 * - `.example.com` (domain): `example.com` itself and every name below it, the way CPL's
 *   `url.domain=` and cookie domains work.
 *
 * Names are LDH (letters, digits, hyphens; labels 1–63 characters, not starting or ending with a
 * hyphen; 253 characters in all): the only names that can be written into a device configuration
 * without quoting, so a value that came from a log line cannot carry syntax with it.
 */
export type HostPatternKind = 'exact' | 'subdomains' | 'domain';

export interface HostPattern {
  readonly kind: HostPatternKind;
  /** The name without `*.` or `.`, lower case, e.g. `legacy.example.com`. */
  readonly name: string;
}

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_NAME_LENGTH = 253;

/** Lower-cases A–Z only; other characters are never equal to an LDH pattern anyway. */
export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Validates a plain host name (no `*.` or leading `.`) and returns it in lower case. */
export function parseHostName(text: string): Result<string, InvalidValue> {
  if (text === '') return err({ reason: 'must not be empty' });
  if (text.length > MAX_NAME_LENGTH) {
    return err({ reason: `is ${text.length} characters long; a host name has at most 253` });
  }
  const bad = /[^A-Za-z0-9.-]/.exec(text);
  if (bad) {
    return err({
      reason: `contains ${describeCharacter(bad[0])}: only letters, digits, hyphens and dots are allowed`,
    });
  }
  const name = asciiLowerCase(text);
  for (const label of name.split('.')) {
    if (label === '') {
      return err({ reason: 'has an empty label (a leading, trailing or doubled dot)' });
    }
    if (label.length > 63) {
      return err({ reason: `label \`${label.slice(0, 20)}…\` is longer than 63 characters` });
    }
    if (!LDH_LABEL.test(label)) {
      return err({ reason: `label \`${label}\` must not start or end with a hyphen` });
    }
  }
  return ok(name);
}

export function parseHostPattern(text: string): Result<HostPattern, InvalidValue> {
  let kind: HostPatternKind = 'exact';
  let rest = text;
  if (text.startsWith('*.')) {
    kind = 'subdomains';
    rest = text.slice(2);
  } else if (text.startsWith('.')) {
    kind = 'domain';
    rest = text.slice(1);
  }
  if (rest.includes('*')) {
    return err({ reason: '`*` is allowed only as the whole first label, as in `*.example.com`' });
  }
  const name = parseHostName(rest);
  return name.ok ? ok({ kind, name: name.value }) : name;
}

export function formatHostPattern(pattern: HostPattern): string {
  switch (pattern.kind) {
    case 'exact':
      return pattern.name;
    case 'subdomains':
      return `*.${pattern.name}`;
    case 'domain':
      return `.${pattern.name}`;
  }
}

/** Whether a host name seen in a log matches; the log's value is not validated, only compared. */
export function hostPatternMatches(pattern: HostPattern, host: string): boolean {
  const candidate = asciiLowerCase(host);
  const below =
    candidate.length > pattern.name.length + 1 && candidate.endsWith(`.${pattern.name}`);
  switch (pattern.kind) {
    case 'exact':
      return candidate === pattern.name;
    case 'subdomains':
      return below;
    case 'domain':
      return candidate === pattern.name || below;
  }
}

/** Names a character in an error message without printing it raw (it may be a control code). */
export function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (code > 0x20 && code < 0x7f) return `\`${character}\``;
  if (code === 0x20) return 'a space';
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
