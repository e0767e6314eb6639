/**
 * The signature tags: what a record is (a TLS handshake failure, an agent socket error, a health
 * check), as data. Each tag matches when any of its clauses holds; a clause holds when all its
 * atoms do; an atom tests one common column or one named field of the record. Values are compared
 * as written unless the op says otherwise. Atoms on `message` look at messages of text only (a
 * format's `messageKind`): an access log's request line or a proxy's URL that spells "user not
 * found" is no failed logon, and requests are matched by their fields instead. The worker applies
 * the catalogue at ingest (see tagger.ts); the display applies the same atoms to parsed records,
 * so both agree.
 *
 * Facts come from ../shared/reference/ (cited per tag). Where the reference marks a value
 * UNVERIFIED (ProxySG's certificate error tokens), the atoms match it loosely, as the reference
 * advises, and say so.
 */

/** What an atom looks at: a common column, or a format field by its name (`field:user_agent`). */
export type TagTarget =
  'code' | 'source' | 'level' | 'host' | 'certHost' | 'message' | `field:${string}`;

export type TagOp =
  /** The value is one of `values`. */
  | 'equals'
  /** The value is one of `values`, ignoring ASCII case. */
  | 'equals-ci'
  /** The value contains one of `values`. */
  | 'contains'
  /** The value contains one of `values`, ignoring ASCII case. */
  | 'contains-ci'
  /** The value starts with one of `values`. */
  | 'prefix'
  /** There is a value, and it is not empty, `-` or `none` (`values` is empty). */
  | 'present';

export interface TagAtom {
  readonly on: TagTarget;
  readonly op: TagOp;
  readonly values: readonly string[];
}

export interface TagDefinition {
  /** Stable id used in filters, CLI output and saved files. */
  readonly id: string;
  readonly title: string;
  /** What it means and whether it is usually harmless, in a sentence or two. */
  readonly explanation: string;
  /** Where the facts come from. */
  readonly references: readonly string[];
  /** Any clause matching tags the record; a clause is a list of atoms that must all match. */
  readonly when: readonly (readonly TagAtom[])[];
  /** Records this tag must mark (checked by the catalogue test): format id and record text. */
  readonly samples: readonly TagSample[];
}

/** A record a tag must mark: format id, record text, and any header lines it needs before it. */
export interface TagSample {
  readonly format: string;
  readonly text: string;
  readonly preamble?: readonly string[];
}

const SCHANNEL = ['Schannel', 'Microsoft-Windows-Schannel', 'SChannel'];

const SSL_HEADER = [
  '#Software: SGOS 6.7.5.3',
  '#Version: 1.0',
  '#Fields: date time time-taken c-ip cs-username x-exception-id sc-filter-result cs-categories sc-status s-action cs-method cs-host cs-uri-port x-rs-certificate-hostname x-rs-certificate-validate-status x-rs-certificate-observed-errors x-cs-ocsp-error x-rs-ocsp-error x-rs-connection-negotiated-cipher-strength s-ip',
];

/** A ProxySG SSL access-log line (reference/elff-w3c.md §4 layout) with the given certificate fields. */
function sslLine(observed: string, ocsp = '-'): TagSample {
  return {
    format: 'w3c',
    preamble: SSL_HEADER,
    text: `2024-03-05 08:14:02 312 10.20.30.41 jdoe - OBSERVED "Technology/Internet" 200 TCP_TUNNELED CONNECT portal.example.net 443 portal.example.net - ${observed} ${ocsp} - high 10.1.1.5`,
  };
}

/** An Event Viewer XML export of one SCHANNEL event (reference/windows-eventlog.md §5). */
function schannelEvent(id: number): TagSample {
  return {
    format: 'eventlog-xml',
    text: `<Events><Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Schannel" Guid="{1F678132-5938-4686-9FDC-C8FF68F15C85}"/><EventID>${id}</EventID><Level>2</Level><TimeCreated SystemTime="2024-03-05T08:14:02.000Z"/><Channel>System</Channel><Computer>gw01.example.com</Computer></System><EventData><Data Name="AlertDesc">42</Data></EventData></Event></Events>`,
  };
}

/** A ClearTrust agent log line in the RSA KB layout (reference/cleartrust-citrix.md §1). */
function agentLine(code: string): TagSample {
  return {
    format: 'cleartrust',
    text: `Feb 24, 2007 06:48:50 PM MST - [12] - <Critical> - server#1, 10.10.10.10:5615 ${code}`,
  };
}

export const TAGS: readonly TagDefinition[] = [
  {
    id: 'tls-handshake-failure',
    title: 'TLS handshake failure',
    explanation:
      "A client opened a TLS connection and it failed before any request. From one address at a steady interval it is almost always a load balancer's SSL or TCP keepalive resetting the connection: harmless noise, best excluded at the device.",
    references: [
      'reference/cleartrust-citrix.md §2-4',
      'reference/windows-eventlog.md §5',
      'https://theether.net/kb/100005',
    ],
    when: [
      // Citrix Secure Gateway: event 125, source "Secure Gateway", "SSL handshake from client failed".
      [
        { on: 'code', op: 'equals', values: ['125'] },
        { on: 'source', op: 'equals-ci', values: ['Secure Gateway'] },
      ],
      // SCHANNEL fatal alerts received/sent, and "no common cipher suite" (36874).
      [
        { on: 'code', op: 'equals', values: ['36887', '36888', '36874'] },
        { on: 'source', op: 'equals-ci', values: SCHANNEL },
      ],
      // Apache mod_ssl (2.2 wording and 2.4's AH codes for handshake errors).
      [
        {
          on: 'message',
          op: 'contains',
          values: [
            'SSL handshake failed',
            'SSL handshake interrupted by system',
            'in handshake (server',
          ],
        },
      ],
      [{ on: 'code', op: 'equals', values: ['AH02008', 'AH01964', 'AH02007', 'AH02009'] }],
    ],
    samples: [
      {
        format: 'apache-error',
        text: '[Tue Mar 05 08:14:02.123456 2024] [ssl:info] [pid 4711:tid 140] [client 172.16.1.5:51234] AH02008: SSL library error 1 in handshake (server gw.example.com:443)',
      },
      {
        format: 'apache-error',
        text: '[Tue Mar 05 08:14:07 2024] [info] [client 172.16.1.5] SSL handshake failed: HTTP spoken on HTTPS port; trying to send HTML error page',
      },
    ],
  },
  {
    id: 'agent-socket-error',
    title: 'Agent socket error',
    explanation:
      "The ClearTrust web agent lost its connection to an authorization server. About once an hour on idle servers it is a firewall dropping idle pooled connections: harmless, fixed by a pool refresh shorter than the firewall's idle timeout.",
    references: ['reference/cleartrust-citrix.md §1'],
    when: [[{ on: 'code', op: 'equals', values: ['CT_SOCKET_ERROR'] }]],
    samples: [agentLine('CT_SOCKET_ERROR')],
  },
  {
    id: 'agent-server-timeout',
    title: 'Agent server timeout',
    explanation:
      'An authorization server did not answer the ClearTrust agent in time (15 s by default), or the connection was already gone. Recurring with socket errors it has the same firewall cause; on its own it can mean an overloaded server.',
    references: ['reference/cleartrust-citrix.md §1'],
    when: [
      [{ on: 'code', op: 'equals', values: ['CT_SERVER_TIMED_OUT', 'CT_SERVER_TIMED_OUT_ERROR'] }],
    ],
    samples: [agentLine('CT_SERVER_TIMED_OUT'), agentLine('CT_SERVER_TIMED_OUT_ERROR')],
  },
  {
    id: 'cert-revoked',
    title: 'Certificate revoked',
    explanation:
      'The server certificate was revoked (OCSP or CRL). Never harmless: block or fix the site.',
    references: [
      'reference/elff-w3c.md §3 (tokens UNVERIFIED)',
      'reference/windows-eventlog.md §5 (SCHANNEL 36883)',
    ],
    when: [
      // ProxySG token vocabulary is UNVERIFIED: match case-insensitively on a stem, as the reference advises.
      [{ on: 'field:x-rs-certificate-observed-errors', op: 'contains-ci', values: ['revok'] }],
      [
        { on: 'code', op: 'equals', values: ['36883'] },
        { on: 'source', op: 'equals-ci', values: SCHANNEL },
      ],
    ],
    samples: [sslLine('revoked-by-ocsp'), schannelEvent(36883)],
  },
  {
    id: 'cert-hostname-mismatch',
    title: 'Certificate host name mismatch',
    explanation:
      'The server certificate does not name the host that was asked for. Common with internal hosts reached by address or alias; trust them explicitly if they are yours.',
    references: [
      'reference/elff-w3c.md §3 (tokens UNVERIFIED)',
      'reference/windows-eventlog.md §5 (SCHANNEL 36884)',
    ],
    when: [
      [
        {
          on: 'field:x-rs-certificate-observed-errors',
          op: 'contains-ci',
          values: ['hostname', 'mismatch'],
        },
      ],
      [
        { on: 'code', op: 'equals', values: ['36884'] },
        { on: 'source', op: 'equals-ci', values: SCHANNEL },
      ],
    ],
    samples: [sslLine('hostname-mismatch'), schannelEvent(36884)],
  },
  {
    id: 'cert-expired',
    title: 'Certificate expired',
    explanation: 'The server certificate has expired or is not yet valid.',
    references: [
      'reference/elff-w3c.md §3 (tokens UNVERIFIED)',
      'reference/windows-eventlog.md §5 (SCHANNEL 36881)',
    ],
    when: [
      [{ on: 'field:x-rs-certificate-observed-errors', op: 'contains-ci', values: ['expir'] }],
      [
        { on: 'code', op: 'equals', values: ['36881'] },
        { on: 'source', op: 'equals-ci', values: SCHANNEL },
      ],
    ],
    samples: [sslLine('expired'), schannelEvent(36881)],
  },
  {
    id: 'cert-untrusted-issuer',
    title: 'Certificate from an untrusted issuer',
    explanation:
      'The server certificate chains to an issuer the proxy or host does not trust (often a private CA).',
    references: [
      'reference/elff-w3c.md §3 (tokens UNVERIFIED)',
      'reference/windows-eventlog.md §5 (SCHANNEL 36882)',
    ],
    when: [
      [
        {
          on: 'field:x-rs-certificate-observed-errors',
          op: 'contains-ci',
          values: ['untrusted', 'issuer'],
        },
      ],
      [
        { on: 'code', op: 'equals', values: ['36882'] },
        { on: 'source', op: 'equals-ci', values: SCHANNEL },
      ],
    ],
    samples: [sslLine('untrusted-issuer'), schannelEvent(36882)],
  },
  {
    id: 'cert-self-signed',
    title: 'Self-signed certificate',
    explanation: 'The server presented a self-signed certificate.',
    references: ['reference/elff-w3c.md §3 (tokens UNVERIFIED)'],
    when: [[{ on: 'field:x-rs-certificate-observed-errors', op: 'contains-ci', values: ['self'] }]],
    samples: [sslLine('self-signed')],
  },
  {
    id: 'ocsp-error',
    title: 'OCSP error',
    explanation: 'A revocation check by OCSP failed or could not be made.',
    references: ['reference/elff-w3c.md §3 (field names verified, values UNVERIFIED)'],
    when: [
      [{ on: 'field:x-cs-ocsp-error', op: 'present', values: [] }],
      [{ on: 'field:x-rs-ocsp-error', op: 'present', values: [] }],
      [{ on: 'field:x-rs-certificate-observed-errors', op: 'contains-ci', values: ['ocsp'] }],
    ],
    samples: [sslLine('-', 'connection_failed'), sslLine('ocsp-unreachable')],
  },
  {
    id: 'health-check',
    title: 'Health check',
    explanation:
      'A monitor or load balancer checking that the service answers: a bare request for "/" with no body, or a known monitoring agent. At a steady interval from one address it is keepalive noise.',
    references: ['reference/cleartrust-citrix.md §3 (Cisco CSS keepalives)'],
    when: [
      [
        { on: 'field:method', op: 'equals', values: ['HEAD', 'GET', 'OPTIONS'] },
        { on: 'field:uri', op: 'equals', values: ['/'] },
        { on: 'field:bytes', op: 'equals', values: ['-', '0'] },
      ],
      [
        { on: 'field:method', op: 'equals', values: ['HEAD'] },
        { on: 'field:uri', op: 'equals', values: ['/'] },
      ],
      [
        {
          on: 'field:user_agent',
          op: 'contains-ci',
          values: [
            'ELB-HealthChecker',
            'kube-probe',
            'GoogleHC',
            'check_http',
            'Pingdom',
            'UptimeRobot',
            'StatusCake',
            'Site24x7',
            'Zabbix',
            'Consul Health Check',
            'HAProxy',
            'KEMP',
            'F5-Monitor',
            'NS-Monitor',
          ],
        },
      ],
    ],
    samples: [
      {
        format: 'apache-access',
        text: '172.16.1.5 - - [05/Mar/2024:00:00:00 +0000] "HEAD / HTTP/1.0" 200 - "-" "-"',
      },
      {
        format: 'apache-access',
        text: '10.0.0.9 - - [05/Mar/2024:00:00:00 +0000] "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0"',
      },
    ],
  },
  {
    id: 'auth-failure',
    title: 'Authentication failure',
    explanation:
      'A user or client failed to authenticate. Many from one address can be an attack; a steady trickle is often a stale saved password.',
    references: [
      'reference/windows-eventlog.md §3',
      'reference/elff-w3c.md §3 (x-exception-id authentication_failed)',
    ],
    when: [
      [
        { on: 'code', op: 'equals', values: ['4625', '4771'] },
        { on: 'source', op: 'equals-ci', values: ['Microsoft-Windows-Security-Auditing'] },
      ],
      [{ on: 'code', op: 'equals', values: ['AH01617', 'AH01618', 'AH01807'] }],
      [{ on: 'message', op: 'contains', values: ['authentication failure for', 'user not found'] }],
      [{ on: 'field:x-exception-id', op: 'equals', values: ['authentication_failed'] }],
    ],
    samples: [
      {
        format: 'apache-error',
        text: '[Tue Mar 05 08:20:00.000001 2024] [auth_basic:error] [pid 12] [client 10.1.2.3:4444] AH01617: user jdoe: authentication failure for "/admin": Password Mismatch',
      },
    ],
  },
  {
    id: 'tcp-error',
    title: 'TCP connection error',
    explanation:
      "The proxy ended the transaction with its tcp_error exception: a TCP connection failed or was reset before a request completed (the exception's meaning is read from its name; the vendor's definition is unverified). From one address at a steady interval it is almost always a load balancer's TCP keepalive opening a connection to the proxy and resetting it: harmless noise. Spread over many clients and hosts it points at origin servers the proxy cannot reach.",
    references: [
      'reference/elff-w3c.md §3 (x-exception-id tcp_error: seen in real logs, meaning UNVERIFIED; s-action TCP_ERR_MISS)',
      'reference/cleartrust-citrix.md §3 (TCP keepalives closed by reset)',
    ],
    when: [
      // Only the exception id: s-action TCP_ERR_MISS with DENIED also ends transactions that
      // failed for other reasons (the corpus has one for an unavailable ICAP server).
      [{ on: 'field:x-exception-id', op: 'equals', values: ['tcp_error'] }],
    ],
    samples: [
      {
        // Composed in the layout of reference/elff-w3c.md §4: a balancer's probe, reset at once.
        format: 'w3c',
        preamble: SSL_HEADER,
        text: '2024-03-05 08:14:02 1 172.16.1.5 - tcp_error DENIED "none" 0 TCP_ERR_MISS - 10.1.1.5 8080 - - - - - - 10.1.1.5',
      },
    ],
  },
];

export const MAX_TAGS = 32;
