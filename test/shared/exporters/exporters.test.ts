import { describe, expect, it } from 'vitest';
import type { FilterRule, FilterSet } from '../../../shared/filters/model';
import {
  EXPORT_TARGETS,
  exportFilterSet,
  findExportTarget,
} from '../../../shared/exporters/registry';

const set = (rules: FilterRule[], name = 'Set'): FilterSet => ({
  logsieve: 'filter-set',
  version: 1,
  name,
  rules,
});
const hide = (id: string, srcIp: string[], extra: Partial<FilterRule> = {}): FilterRule => ({
  id,
  enabled: true,
  action: 'hide',
  when: { srcIp },
  ...extra,
});
const host = (id: string, action: 'trust' | 'block', certHost: string[]): FilterRule => ({
  id,
  enabled: true,
  action,
  when: { certHost },
});
const run = (target: string, s: FilterSet, options = {}) => {
  const r = exportFilterSet(target, s, options);
  return r.ok ? { text: r.value } : { errors: r.error.map((e) => `${e.code}: ${e.message}`) };
};
const directives = (text: string): string[] =>
  text.split('\n').filter((l) => l !== '' && !/^\s*[#;]/.test(l));

describe('the registry', () => {
  it('lists every target from data, with the options each takes', () => {
    expect(
      EXPORT_TARGETS.map((t) => [t.id, t.options.map((o) => o.flag), t.fileExtension]),
    ).toEqual([
      ['httpd', ['--env'], '.conf'],
      ['httpd24', ['--env'], '.conf'],
      ['cpl', ['--log-name'], '.cpl'],
    ]);
    expect(findExportTarget('cpl')?.title).toBe('Blue Coat ProxySG policy (CPL)');
    expect(run('nginx', set([]))).toEqual({
      errors: ['export.unknown-target: No export target called `nginx`.'],
    });
  });
});

describe('httpd', () => {
  it('writes one exact, anchored SetEnvIf line per address value', () => {
    const out = run('httpd', set([hide('lb', ['172.16.1.0/24', '10.9.8.7'])]));
    expect(out.text && directives(out.text)).toEqual([
      'SetEnvIf Remote_Addr "^172\\.16\\.1\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$" nolog',
      'SetEnvIf Remote_Addr "^10\\.9\\.8\\.7$" nolog',
    ]);
  });

  it('says where the lines go, that CustomLog needs env=!VAR (as a comment), and to run apachectl -t', () => {
    const out = run('httpd', set([hide('lb', ['10.9.8.7'])]), { env: 'lb_noise' });
    expect(out.text).toContain('#   CustomLog logs/access.log common env=!lb_noise\n');
    expect(out.text).toContain(
      '# Check the configuration before restarting Apache: apachectl -t\n',
    );
    expect(out.text).toContain('Do not log GIF');
    expect(out.text && directives(out.text)).toEqual([
      'SetEnvIf Remote_Addr "^10\\.9\\.8\\.7$" lb_noise',
    ]);
  });

  it('lists IPv6 values as comments instead of dropping them', () => {
    const out = run('httpd', set([hide('lb', ['10.9.8.7', '2001:db8::/32'])]));
    expect(out.text).toContain(
      '# - lb (hide): IPv6 2001:db8::/32: these patterns cover IPv4 only; the httpd24 target writes IPv6 exactly with -R.',
    );
    expect(out.text && directives(out.text)).toHaveLength(1);
  });
});

describe('httpd24', () => {
  it('writes -R tests with the fewest networks for a range, IPv6 included', () => {
    const out = run(
      'httpd24',
      set([hide('lb', ['172.16.1.0/24', '10.9.8.7', '10.0.0.1-10.0.0.3', '2001:db8::/32'])]),
    );
    expect(out.text && directives(out.text)).toEqual([
      "SetEnvIfExpr \"-R '172.16.1.0/24' || -R '10.9.8.7/32' || -R '10.0.0.1/32' || -R '10.0.0.2/31' || -R '2001:db8::/32'\" nolog",
    ]);
  });

  it('keeps lines short by splitting long ORs over several lines (ORed lines mean the same)', () => {
    const out = run('httpd24', set([hide('wide', ['0.0.0.1-255.255.255.254'])]));
    const lines = out.text ? directives(out.text) : [];
    expect(lines.length).toBe(4); // 62 networks, 16 per line
    expect(lines.every((l) => l.length < 1000)).toBe(true);
  });
});

describe('cpl', () => {
  it('turns the named log off for hidden sources', () => {
    const out = run('cpl', set([hide('lb-keepalive', ['172.16.1.0/24', '10.9.8.7'])]), {
      logName: 'ssl_log',
    });
    expect(out.text && directives(out.text)).toEqual([
      'define subnet logsieve_lb_keepalive',
      '    172.16.1.0/24',
      '    10.9.8.7',
      'end subnet logsieve_lb_keepalive',
      '<Proxy>',
      '    client.address=logsieve_lb_keepalive access_log.ssl_log(no)',
    ]);
  });

  it('turns validation off for trusted hosts with exact URL-host tests, flagged UNVERIFIED', () => {
    const out = run(
      'cpl',
      set([
        host('known', 'trust', [
          'intranet.example.com',
          '*.legacy.example.com',
          '.partner.example',
        ]),
      ]),
    );
    expect(out.text && directives(out.text)).toEqual([
      'define condition logsieve_known',
      '    url.host.exact=intranet.example.com',
      '    url.host.suffix=.legacy.example.com',
      '    url.domain=partner.example',
      'end condition logsieve_known',
      '<SSL>',
      '    condition=logsieve_known server.certificate.validate(no)',
    ]);
    expect(out.text).toContain(
      '; UNVERIFIED: url.host.exact= and url.host.suffix= in an <SSL> layer',
    );
  });

  it('refuses to trust a whole top-level domain', () => {
    expect(run('cpl', set([host('t', 'trust', ['*.com', '.net', 'intranet'])])).errors).toEqual([
      'export.invalid-value: Rule `t`: certHost `*.com`: would turn certificate validation off for a whole top-level domain.',
      'export.invalid-value: Rule `t`: certHost `.net`: would turn certificate validation off for a whole top-level domain.',
    ]);
  });

  it('denies blocked certificate hosts', () => {
    const out = run('cpl', set([host('bad', 'block', ['revoked.example.net', '.bad.example'])]));
    expect(out.text && directives(out.text)).toEqual([
      '<SSL>',
      '    server.certificate.hostname.exact=revoked.example.net deny',
      '    server.certificate.hostname.exact=bad.example deny',
      '    server.certificate.hostname=.bad.example deny',
    ]);
  });

  it('makes labels valid and unique, whatever the rule ids', () => {
    const out = run(
      'cpl',
      set([
        hide('9-lives', ['10.0.0.1']),
        hide('9_lives', ['10.0.0.2']),
        hide('9.lives', ['10.0.0.3']),
      ]),
    );
    expect(out.text?.match(/^define subnet \S+$/gm)).toEqual([
      'define subnet logsieve_9_lives',
      'define subnet logsieve_9_lives_2',
      'define subnet logsieve_9_lives_3',
    ]);
  });
});

describe('every target', () => {
  const targets = EXPORT_TARGETS.map((t) => t.id);

  it.each(targets)(
    '%s lists disabled rules and rules it cannot express, with the reason',
    (target) => {
      const out = run(
        target,
        set([
          hide('off', ['10.0.0.1'], { enabled: false }),
          {
            id: 'tagged',
            enabled: true,
            action: 'hide',
            when: { srcIp: ['10.0.0.2'], tag: ['x'] },
          },
          { id: 'by-text', enabled: true, action: 'hide', when: { text: ['x'] } },
        ]),
      );
      expect(out.text).toMatch(/Disabled in LogSieve, so not exported: off\.\n$/);
      expect(out.text).toContain(
        '- tagged (hide): also tests tag, which this target cannot see; srcIp alone would match more than the rule does.',
      );
      expect(out.text).toContain(
        '- by-text (hide): tests text; this target can test only srcIp for hide rules.',
      );
      expect(out.text).toContain(
        'Nothing to write: no enabled rule of this set can be expressed for this target.',
      );
      expect(out.text && directives(out.text)).toEqual([]);
    },
  );

  it.each(targets)(
    '%s refuses a hostile value before writing anything, naming rule and value',
    (target) => {
      const hostile = set([
        hide('lb', ['10.0.0.1" nolog\nInclude /etc/passwd']),
        host('t', 'trust', ['a.example.com\n<Proxy>']),
        host('b', 'block', ['x.example;deny']),
      ]);
      const out = run(target, hostile);
      expect(out.errors).toEqual([
        'filterset.invalid-value: rule 1 `lb`: srcIp `10.0.0.1" nolog\\u{a}Include /etc/passwd`: must not contain whitespace.',
        'filterset.invalid-value: rule 2 `t`: certHost `a.example.com\\u{a}<Proxy>`: contains U+000A: only letters, digits, hyphens and dots are allowed.',
        'filterset.invalid-value: rule 3 `b`: certHost `x.example;deny`: contains `;`: only letters, digits, hyphens and dots are allowed.',
      ]);
    },
  );

  it.each(targets)('%s refuses a set name or comment that would not stay a comment', (target) => {
    const out = run(
      target,
      set(
        [
          hide('lb', ['10.0.0.1'], { comment: 'ends in a backslash \\' }),
          hide('lb2', ['10.0.0.2'], { comment: 'two\nlines' }),
        ],
        'Set ${HOME}',
      ),
    );
    expect(out.errors).toEqual([
      'export.invalid-text: Filter set name `Set ${HOME}`: contains `${`.',
      'export.invalid-text: Rule `lb`: comment `ends in a backslash \\`: contains `\\`.',
      'export.invalid-text: Rule `lb2`: comment `two\\u{a}lines`: contains U+000A.',
    ]);
  });

  it.each(targets)('%s refuses a bad option value', (target) => {
    const option = target === 'cpl' ? { logName: 'main) deny(' } : { env: 'nolog extra' };
    const out = run(target, set([hide('lb', ['10.0.0.1'])]), option);
    expect(out.errors?.[0]).toMatch(
      /^export\.invalid-option: --(env|log-name) `.*`: use 1–64 letters/,
    );
  });

  it.each(targets)(
    '%s checks a set built in memory like a loaded file, and never throws',
    (target) => {
      const broken = set([
        { id: 'x', enabled: true, action: 'hide' } as unknown as FilterRule,
        hide('x', ['10.0.0.1']),
      ]);
      expect(run(target, broken).errors).toEqual([
        'filterset.missing-key: rule 1 `x`: missing "when" (the conditions the rule matches).',
        'filterset.duplicate-rule-id: rule 2: id `x` is already used by rule 1; rule ids must be unique.',
      ]);
    },
  );

  it.each(targets)('%s ends every line with a newline and writes no carriage return', (target) => {
    const out = run(target, set([hide('lb', ['10.0.0.1'])]));
    expect(out.text?.endsWith('\n')).toBe(true);
    expect(out.text).not.toContain('\r');
  });
});
