/**
 * Readable text for the few events LogSieve is about, because event log files do not hold message
 * text: Windows renders it on the host from the provider's message DLL, which the admin's
 * workstation does not have. Every row made from this table says so in its notes.
 *
 * The wording is LogSieve's, after the sources each entry names (../shared/reference/
 * windows-eventlog.md §5 and cleartrust-citrix.md §2); where the reference marks the provider's own
 * text UNVERIFIED, the entry paraphrases the meaning rather than pretend to quote it.
 *
 * Placeholders: `{A|B}` takes the first of the event data fields A, B that has a value (`%1` is
 * the first insertion string of a classic event, `AlertDesc` a named field of a manifest event);
 * `{A:alert}` adds the TLS alert's name to its number. An entry whose placeholders cannot all be
 * filled is not used for that record (the generic text is shown instead).
 */

export interface KnownEvent {
  /** Provider names or classic event source names, compared without case. */
  readonly sources: readonly string[];
  readonly eventId: number;
  readonly text: string;
  /** Where the meaning and wording come from. */
  readonly reference: string;
  /**
   * The client address is in the insertion strings but not in a named field: take the first
   * insertion string that is an address (optionally with `:port` or in brackets).
   */
  readonly srcIpInStrings?: boolean;
}

export const KNOWN_EVENTS: readonly KnownEvent[] = [
  {
    sources: ['Secure Gateway'],
    eventId: 125,
    text: 'SSL handshake from client failed.',
    reference:
      'Citrix Secure Gateway, category SCHANNEL (theether.net KB 100005): typically a load balancer SSL or TCP keepalive probing port 443',
    srcIpInStrings: true,
  },
  {
    sources: ['CtxSecGwy', 'Secure Gateway'],
    eventId: 3202,
    text: 'Client connection dropped: connection timed out.',
    reference:
      'Citrix Secure Gateway "CSG3202 Client IP [ip:port] connection dropped, connection timed out" (theether.net KB 100012)',
    srcIpInStrings: true,
  },
  {
    sources: ['Schannel'],
    eventId: 36887,
    text: 'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is {AlertDesc|%1:alert}.',
    reference: 'Microsoft "Schannel Events"; wording as quoted in the reference (ITTrip)',
  },
  {
    sources: ['Schannel'],
    eventId: 36888,
    text: 'A fatal alert was generated and sent to the remote endpoint. The TLS protocol defined fatal error code is {AlertDesc|%1:alert}. The Windows SChannel error state is {ErrorState|%2}.',
    reference:
      'Microsoft "Schannel Events"; wording as quoted in the reference (ITTrip, MSDN blog)',
  },
  {
    sources: ['Schannel'],
    eventId: 36874,
    text: 'A TLS connection request was received from a remote client application, but no cipher suite it offers is enabled on this server. The connection request failed.',
    reference:
      'Microsoft "Schannel Events" (meaning; the provider text is UNVERIFIED in the reference)',
  },
  {
    sources: ['Schannel'],
    eventId: 36876,
    text: 'The certificate received from the remote server did not validate correctly.',
    reference: 'SCHANNEL event list (detection-wiki), meaning only',
  },
  {
    sources: ['Schannel'],
    eventId: 36877,
    text: 'The certificate received from the remote client did not validate correctly.',
    reference: 'SCHANNEL event list (detection-wiki), meaning only',
  },
  {
    sources: ['Schannel'],
    eventId: 36881,
    text: 'The certificate received from the remote server has expired or is not yet valid.',
    reference: 'SCHANNEL event list (detection-wiki), meaning only',
  },
  {
    sources: ['Schannel'],
    eventId: 36882,
    text: 'The certificate received from the remote server was issued by an untrusted certificate authority.',
    reference: 'SCHANNEL event list (detection-wiki), meaning only',
  },
  {
    sources: ['Schannel'],
    eventId: 36883,
    text: 'The certificate received from the remote server has been revoked.',
    reference: 'SCHANNEL event list (detection-wiki), meaning only',
  },
  {
    sources: ['Schannel'],
    eventId: 36884,
    text: 'The certificate received from the remote server does not contain the expected name.',
    reference: 'SCHANNEL event list (detection-wiki), meaning only',
  },
];

/** TLS alert descriptions (RFC 5246 §7.2, RFC 8446 §6), by code. */
export const TLS_ALERTS: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

const BY_KEY = new Map<string, KnownEvent>();
for (const e of KNOWN_EVENTS)
  for (const source of e.sources) BY_KEY.set(`${source.toLowerCase()}\u0000${e.eventId}`, e);

export function knownEvent(source: string | null, eventId: number): KnownEvent | undefined {
  if (source === null || eventId < 0) return undefined;
  return BY_KEY.get(`${source.toLowerCase()}\u0000${eventId}`);
}

/**
 * The entry's text with its placeholders filled from `fields`, or null when one cannot be
 * filled. `used` collects the field names the text consumed.
 */
export function fillMessage(
  entry: KnownEvent,
  fields: Readonly<Record<string, string>>,
  used: Set<string>,
): string | null {
  let text = '';
  let last = 0;
  for (const m of entry.text.matchAll(/\{([^}:]+)(?::(\w+))?\}/g)) {
    const names = m[1]!.split('|');
    const name = names.find((n) => fields[n] !== undefined && fields[n] !== '');
    if (name === undefined) return null;
    used.add(name);
    const value = fields[name]!;
    const alert = m[2] === 'alert' && /^\d+$/.test(value) ? TLS_ALERTS[Number(value)] : undefined;
    text += entry.text.slice(last, m.index) + (alert === undefined ? value : `${value} (${alert})`);
    last = m.index + m[0].length;
  }
  return text + entry.text.slice(last);
}
