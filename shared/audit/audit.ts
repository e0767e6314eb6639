import {
  FILTER_SET_KIND,
  FILTER_SET_VERSION,
  type FilterRule,
  type FilterSet,
} from '../filters/model';
import { describeRange } from '../net/range';
import { auditCplPolicy } from './cpl-policy';
import type { AuditReport } from './directive';
import { auditHttpdConf } from './httpd-conf';

export {
  auditReportToJson,
  type AuditJson,
  type AuditReport,
  type AuditedDirective,
} from './directive';

/**
 * Audits a deployed configuration: an Apache httpd.conf, or ProxySG policy (recognised by a
 * `define subnet` block or a `client.address=` condition, neither of which Apache has).
 */
export function auditConfiguration(source: string): AuditReport {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const isCpl = /^[ \t]*define[ \t]+subnet\b/im.test(text) || /client\.address=/i.test(text);
  return isCpl
    ? { format: 'cpl', directives: auditCplPolicy(text) }
    : { format: 'httpd', directives: auditHttpdConf(text) };
}

/**
 * A filter set with one `hide` rule per audited directive that marks addresses as noise, holding
 * what the directive was evidently meant to match (the addresses of its exact replacement, not
 * the over-wide set a loose pattern really matches). Directives the audit could not evaluate, or
 * that do not hide anything (`!nolog`, a subnet never used to turn a log off), are left out.
 */
export function filterSetFromAudit(report: AuditReport, name: string): FilterSet {
  const rules: FilterRule[] = [];
  for (const directive of report.directives) {
    if (!directive.hides || directive.intended === null || directive.intended.length === 0)
      continue;
    rules.push({
      id: `line-${directive.line}`,
      enabled: true,
      action: 'hide',
      when: { srcIp: directive.intended.map(describeRange) },
      comment: `Imported from line ${directive.line} of the audited ${report.format === 'cpl' ? 'policy' : 'httpd.conf'}`,
    });
  }
  return { logsieve: FILTER_SET_KIND, version: FILTER_SET_VERSION, name, rules };
}
