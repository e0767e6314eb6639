import { BlockList, isIPv6 } from 'node:net';

/**
 * Small evaluators for exported snippets, written independently of the exporters: they read the
 * text back and decide what a device would do with it. Address tests use Node's own BlockList
 * (not LogSieve's CIDR code) and regexes use JavaScript's engine (PCRE agrees with it on the
 * characters the exporters write).
 */

/**
 * A set of networks tested the way Apache's apr_ipsubnet_test does: an IPv4 client and an
 * IPv4-mapped one (::ffff:a.b.c.d) are compared with the IPv4 networks only, any other IPv6
 * client with the IPv6 networks only. (Node's BlockList alone would also match IPv4 clients
 * against ::ffff: networks, which Apache does not.) The CPL evaluator uses the same, strictest,
 * reading: how ProxySG compares mapped clients is not documented.
 */
class AprNetworks {
  private readonly ipv4 = new BlockList();
  private readonly ipv6 = new BlockList();

  add(network: string, prefix: number): void {
    if (isIPv6(network)) this.ipv6.addSubnet(network, prefix, 'ipv6');
    else this.ipv4.addSubnet(network, prefix, 'ipv4');
  }

  test(address: string): boolean {
    if (!isIPv6(address)) return this.ipv4.check(address, 'ipv4');
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return this.ipv4.check(mapped[1] ?? '', 'ipv4');
    return this.ipv6.check(address, 'ipv6');
  }
}

/** Whether `SetEnvIf Remote_Addr "…" VAR` lines set VAR for a client address. */
export function httpdSetsVariable(snippet: string, variable: string, address: string): boolean {
  for (const line of snippet.split('\n')) {
    const m = /^SetEnvIf Remote_Addr "([^"]*)" (\S+)$/.exec(line);
    if (m && m[2] === variable && new RegExp(m[1] ?? '').test(address)) return true;
  }
  return false;
}

/** Whether `SetEnvIfExpr "-R 'net' || …" VAR` lines set VAR for a client address. */
export function httpd24SetsVariable(snippet: string, variable: string, address: string): boolean {
  for (const line of snippet.split('\n')) {
    const m = /^SetEnvIfExpr "(.*)" (\S+)$/.exec(line);
    if (!m || m[2] !== variable) continue;
    const networks = new AprNetworks();
    for (const term of (m[1] ?? '').split(' || ')) {
      const t = /^-R '([^/']+)\/(\d+)'$/.exec(term);
      if (!t) throw new Error(`not a -R term: ${term}`);
      networks.add(t[1] ?? '', Number(t[2]));
    }
    if (networks.test(address)) return true;
  }
  return false;
}

export interface CplTransaction {
  readonly clientAddress: string;
  /** The requested host, which is also the name in the server's certificate here. */
  readonly host: string;
}

export interface CplOutcome {
  readonly logsOff: readonly string[];
  readonly validationOff: boolean;
  readonly denied: boolean;
}

/**
 * Evaluates the CPL subset the exporter writes. Semantics as the CPL guide documents them:
 * `url.host.exact=` compares the whole host, `url.host.suffix=` is a plain string suffix,
 * `url.domain=` matches the domain and names below it on label boundaries, all ignoring case;
 * `server.certificate.hostname=.D` is read as "names below D" (flagged UNVERIFIED in the output).
 * Every matching line counts: the exporter's layers only ever set one property each.
 */
export function evaluateCpl(snippet: string, transaction: CplTransaction): CplOutcome {
  const subnets = new Map<string, AprNetworks>();
  const conditions = new Map<string, string[]>();
  let open: { kind: string; label: string } | null = null;
  const logsOff: string[] = [];
  let validationOff = false;
  let denied = false;
  const host = transaction.host.toLowerCase();
  const hostTest = (test: string): boolean => {
    const [name = '', value = ''] = test.split('=');
    const v = value.toLowerCase();
    switch (name) {
      case 'url.host.exact':
      case 'server.certificate.hostname.exact':
        return host === v;
      case 'url.host.suffix':
        return host.endsWith(v);
      case 'url.domain':
        return host === v || host.endsWith(`.${v}`);
      case 'server.certificate.hostname':
        if (!v.startsWith('.')) throw new Error(`unexpected ${test}`);
        return host.endsWith(v) && host.length > v.length;
      default:
        throw new Error(`unexpected condition ${test}`);
    }
  };
  for (const raw of snippet.split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    const define = /^define (subnet|condition) (\S+)$/.exec(line);
    if (define) {
      open = { kind: define[1] ?? '', label: define[2] ?? '' };
      if (open.kind === 'subnet') subnets.set(open.label, new AprNetworks());
      else conditions.set(open.label, []);
      continue;
    }
    if (/^end (subnet|condition) /.test(line)) {
      open = null;
      continue;
    }
    if (open?.kind === 'subnet') {
      const [network = '', prefix] = line.split('/');
      subnets.get(open.label)?.add(network, Number(prefix ?? (isIPv6(network) ? 128 : 32)));
      continue;
    }
    if (open?.kind === 'condition') {
      conditions.get(open.label)?.push(line);
      continue;
    }
    if (/^<(Proxy|SSL)>$/.test(line)) continue;
    let m = /^client\.address=(\S+) access_log\.(\S+)\(no\)$/.exec(line);
    if (m) {
      const list = subnets.get(m[1] ?? '');
      if (!list) throw new Error(`undefined subnet ${m[1]}`);
      if (list.test(transaction.clientAddress)) logsOff.push(m[2] ?? '');
      continue;
    }
    m = /^condition=(\S+) server\.certificate\.validate\(no\)$/.exec(line);
    if (m) {
      const tests = conditions.get(m[1] ?? '');
      if (!tests) throw new Error(`undefined condition ${m[1]}`);
      if (tests.some(hostTest)) validationOff = true;
      continue;
    }
    m = /^(server\.certificate\.hostname(?:\.exact)?=\S+) deny$/.exec(line);
    if (m) {
      if (hostTest(m[1] ?? '')) denied = true;
      continue;
    }
    throw new Error(`the evaluator does not know this line: ${line}`);
  }
  return { logsOff, validationOff, denied };
}
