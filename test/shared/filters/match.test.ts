import { describe, expect, it } from 'vitest';
import { ruleMatches, type MatchableRecord } from '../../../shared/filters/match';
import type { FilterRule, RuleConditions } from '../../../shared/filters/model';

const record = (extra: Partial<MatchableRecord> = {}): MatchableRecord => ({
  srcIp: null,
  certHost: null,
  host: null,
  tags: [],
  code: null,
  source: null,
  level: null,
  message: null,
  fields: {},
  ...extra,
});
const matches = (when: RuleConditions, r: Partial<MatchableRecord>): boolean => {
  const rule: FilterRule = { id: 'r', enabled: true, action: 'hide', when };
  return ruleMatches(rule, record(r));
};

describe('ruleMatches', () => {
  it('ORs the values of one key', () => {
    const when = { srcIp: ['172.16.1.0/24', '10.9.8.7', '10.0.0.1-10.0.0.20'] };
    expect(matches(when, { srcIp: '172.16.1.255' })).toBe(true);
    expect(matches(when, { srcIp: '10.9.8.7' })).toBe(true);
    expect(matches(when, { srcIp: '10.0.0.20' })).toBe(true);
    expect(matches(when, { srcIp: '10.0.0.21' })).toBe(false);
    expect(matches(when, { srcIp: '172.16.10.1' })).toBe(false);
  });

  it('ANDs the keys', () => {
    const when = { tag: ['agent-socket-error'], source: ['server#1'] };
    expect(matches(when, { tags: ['agent-socket-error'], source: 'server#1' })).toBe(true);
    expect(matches(when, { tags: ['agent-socket-error'], source: 'server#2' })).toBe(false);
    expect(matches(when, { tags: [], source: 'server#1' })).toBe(false);
  });

  it('treats a missing or unreadable value as no match', () => {
    expect(matches({ srcIp: ['0.0.0.0/0'] }, { srcIp: null })).toBe(false);
    expect(matches({ srcIp: ['0.0.0.0/0'] }, { srcIp: 'not an address' })).toBe(false);
    expect(matches({ srcIp: ['0.0.0.0/0'] }, { srcIp: '010.0.0.1' })).toBe(false);
    expect(matches({ text: ['x'] }, { message: null })).toBe(false);
    expect(matches({ regex: ['.*'] }, { message: null })).toBe(false);
    expect(matches({ field: [{ name: 'a', op: 'equals', value: 'b' }] }, { fields: {} })).toBe(
      false,
    );
    expect(matches({ code: ['125'] }, {})).toBe(false);
  });

  it('treats an IPv4 address and its IPv4-mapped IPv6 form as one address', () => {
    expect(matches({ srcIp: ['10.0.0.0/8'] }, { srcIp: '::ffff:10.0.0.1' })).toBe(true);
    expect(matches({ srcIp: ['10.0.0.0/8'] }, { srcIp: '::ffff:11.0.0.1' })).toBe(false);
    expect(matches({ srcIp: ['::ffff:10.0.0.0/104'] }, { srcIp: '10.0.0.1' })).toBe(true);
    expect(matches({ srcIp: ['::ffff:10.0.0.0/104'] }, { srcIp: '::ffff:10.0.0.1' })).toBe(true);
    expect(matches({ srcIp: ['::/0'] }, { srcIp: '10.0.0.1' })).toBe(true);
    expect(matches({ srcIp: ['2001:db8::/32'] }, { srcIp: '10.0.0.1' })).toBe(false);
    expect(matches({ srcIp: ['0.0.0.0/0'] }, { srcIp: '2001:db8::1' })).toBe(false);
    expect(matches({ srcIp: ['::10.0.0.1'] }, { srcIp: '10.0.0.1' })).toBe(false); // only ::ffff: maps
    expect(matches({ srcIp: ['2001:db8::/32'] }, { srcIp: '2001:DB8:0:0:0:0:0:1' })).toBe(true);
  });

  it('matches host patterns on label boundaries, ignoring case', () => {
    const when = { certHost: ['intranet.example.com', '*.legacy.example.com', '.corp.example'] };
    expect(matches(when, { certHost: 'INTRANET.example.com' })).toBe(true);
    expect(matches(when, { certHost: 'a.b.legacy.example.com' })).toBe(true);
    expect(matches(when, { certHost: 'legacy.example.com' })).toBe(false);
    expect(matches(when, { certHost: 'corp.example' })).toBe(true);
    expect(matches(when, { certHost: 'notcorp.example' })).toBe(false);
    expect(
      matches({ host: ['.example.com'] }, { host: 'www.example.com', certHost: 'other' }),
    ).toBe(true);
    expect(matches({ host: ['.example.com'] }, { certHost: 'www.example.com' })).toBe(false);
  });

  it('compares tag, code, source and level exactly; text and regex search the message', () => {
    expect(matches({ code: ['125'] }, { code: '1250' })).toBe(false);
    expect(matches({ level: ['error'] }, { level: 'Error' })).toBe(false);
    expect(matches({ text: ['handshake'] }, { message: 'SSL handshake from client failed' })).toBe(
      true,
    );
    expect(matches({ text: ['Handshake'] }, { message: 'SSL handshake from client failed' })).toBe(
      false,
    );
    expect(
      matches({ regex: ['hand(shake)? from'] }, { message: 'SSL handshake from client' }),
    ).toBe(true);
    expect(matches({ regex: ['\\p{Lu}{3}'] }, { message: 'an SSL error' })).toBe(true); // the `u` flag
  });

  it('tests named fields with equals, contains and regex, ORed', () => {
    const when: RuleConditions = {
      field: [
        { name: 'x-rs-certificate-observed-errors', op: 'contains', value: 'revoked' },
        { name: 'sc-status', op: 'equals', value: '503' },
        { name: 'cs-host', op: 'regex', value: '^intra' },
      ],
    };
    expect(
      matches(when, { fields: { 'x-rs-certificate-observed-errors': 'revoked-by-ocsp' } }),
    ).toBe(true);
    expect(matches(when, { fields: { 'sc-status': '5031' } })).toBe(false);
    expect(matches(when, { fields: { 'cs-host': 'intranet' } })).toBe(true);
    // Only the record's own fields count, never what every object inherits.
    expect(
      matches({ field: [{ name: 'toString', op: 'contains', value: 'native' }] }, { fields: {} }),
    ).toBe(false);
  });

  it('does not look at `enabled` (callers skip disabled rules)', () => {
    const rule: FilterRule = { id: 'r', enabled: false, action: 'hide', when: { code: ['1'] } };
    expect(ruleMatches(rule, record({ code: '1' }))).toBe(true);
  });
});
