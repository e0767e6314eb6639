import { showValue } from '../display';
import {
  CONDITION_KEYS,
  type ConditionKey,
  type FilterRule,
  type FilterSet,
  type RuleAction,
} from '../filters/model';
import type { InvalidValue } from '../net/address';
import { describeCharacter } from '../net/host-pattern';
import { validateFilterSet } from '../filters/persist';
import { userError, type Result, type UserError } from '../result';

/**
 * What every exporter shares: the option contract, the plan (which rules a target can express and
 * why not the others), and the checks that run on every piece of text before it is written.
 *
 * The rule behind all of it: nothing is escaped into a configuration. A value is either proved to
 * be made only of characters that are inert where it goes (validated against a strict grammar),
 * or the export fails naming the rule and the value.
 */

/** Options a target may take; each target lists the ones it uses in `ExportTarget.options`. */
export interface ExportOptions {
  /** Apache: environment variable the SetEnvIf lines set (default `nolog`). */
  readonly env?: string;
  /** ProxySG: access log to turn off (default `main`). */
  readonly logName?: string;
}

export interface ExportOptionSpec {
  readonly key: keyof ExportOptions;
  /** The CLI flag, e.g. `--env`. */
  readonly flag: string;
  readonly label: string;
  readonly description: string;
  readonly defaultValue: string;
  /** Null when the value is acceptable, else why not. */
  readonly check: (value: string) => InvalidValue | null;
}

/** An export format: listed by the UI and the CLI from this data, not from code branches. */
export interface ExportTarget {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Suggested file name extension for "Save as…", with the dot. */
  readonly fileExtension: string;
  readonly options: readonly ExportOptionSpec[];
  /** The snippet (ends with a newline), or every problem that stops it being written. */
  readonly export: (set: FilterSet, options: ExportOptions) => Result<string, UserError[]>;
}

export const ENV_OPTION: ExportOptionSpec = {
  key: 'env',
  flag: '--env',
  label: 'Environment variable',
  description: 'Variable the lines set; the access log must skip it with env=!NAME.',
  defaultValue: 'nolog',
  check: (value) =>
    /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(value)
      ? null
      : { reason: 'use 1–64 letters, digits or `_`, not starting with a digit' },
};

export const LOG_NAME_OPTION: ExportOptionSpec = {
  key: 'logName',
  flag: '--log-name',
  label: 'Access log name',
  description: 'ProxySG access log to turn off for the hidden sources (site configuration).',
  defaultValue: 'main',
  check: (value) =>
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(value)
      ? null
      : { reason: 'use 1–64 letters, digits, `_` or `-`, starting with a letter' },
};

/** The options' values with defaults applied, or a problem per bad value. */
export function resolveOptions(
  specs: readonly ExportOptionSpec[],
  options: ExportOptions,
  errors: UserError[],
): Required<ExportOptions> {
  const resolved = { env: ENV_OPTION.defaultValue, logName: LOG_NAME_OPTION.defaultValue };
  for (const spec of specs) {
    const value = options[spec.key] ?? spec.defaultValue;
    const problem = spec.check(value);
    if (problem) {
      errors.push(
        userError('export.invalid-option', `${spec.flag} ${showValue(value)}: ${problem.reason}.`),
      );
    }
    resolved[spec.key] = value;
  }
  return resolved;
}

const MAX_COMMENT_LENGTH = 200;

/**
 * Free text (the set's name, a rule's comment) is copied into comments. Comment lines are inert
 * only while they stay one line of plain text: a newline starts a directive, a trailing `\` joins
 * the next line to the comment, `${` is expanded by Apache in some places. So: printable ASCII,
 * no `\`, no `${`, at most 200 characters.
 */
export function commentTextProblem(text: string): string | null {
  const bad = /[^\x20-\x7e]|\\/.exec(text);
  if (bad) return `contains ${describeCharacter(bad[0])}`;
  if (text.includes('${')) return 'contains `${`';
  if (text.length > MAX_COMMENT_LENGTH) return `is longer than ${MAX_COMMENT_LENGTH} characters`;
  return null;
}

const COMMENT_HINT =
  'Text copied into device configuration must be plain printable ASCII without `\\` or `${`; edit it in LogSieve and export again.';

/** A rule the target expresses, with the condition values it will write. */
export interface PlannedRule {
  readonly rule: FilterRule;
  /** The rule's comment, checked, or undefined. */
  readonly comment: string | undefined;
}

/** A rule, or one value of it, that the target cannot express, and why. */
export interface Omission {
  readonly ruleId: string;
  readonly action: RuleAction;
  readonly reason: string;
}

export interface ExportPlan {
  readonly name: string;
  readonly rules: readonly PlannedRule[];
  readonly omissions: Omission[];
  readonly disabledIds: readonly string[];
}

/**
 * For each action, either the condition keys the target can test, or why it cannot express
 * that action at all.
 */
export type Capabilities = Readonly<
  Record<RuleAction, { readonly keys: readonly ConditionKey[] } | { readonly unsupported: string }>
>;

const presentKeys = (rule: FilterRule): ConditionKey[] =>
  CONDITION_KEYS.filter((key) => rule.when[key] !== undefined);

/**
 * Sorts the rules into written, not expressible (with the reason) and disabled. A rule that also
 * tests something the target cannot see is left out whole: writing only the part the target can
 * test would hide or block more than the rule does. Values of one key that cannot be written are
 * the exporter's business (leaving out one ORed value only narrows the rule; it says so).
 */
export function planExport(
  set: FilterSet,
  capabilities: Capabilities,
  errors: UserError[],
): ExportPlan {
  // The set may not have come from a file (the viewer builds them), so it is checked again with
  // the loader's rules before any of it is trusted.
  const valid = validateFilterSet(set);
  if (!valid.ok) {
    errors.push(...valid.error);
    return { name: set.name, rules: [], omissions: [], disabledIds: [] };
  }
  const nameProblem = commentTextProblem(set.name);
  if (nameProblem !== null) {
    errors.push(
      userError('export.invalid-text', `Filter set name ${showValue(set.name)}: ${nameProblem}.`, {
        hint: COMMENT_HINT,
      }),
    );
  }
  const rules: PlannedRule[] = [];
  const omissions: Omission[] = [];
  const disabledIds: string[] = [];
  // Rule ids (written into comments and CPL labels) passed RULE_ID in validateFilterSet.
  for (const rule of set.rules) {
    if (!rule.enabled) {
      disabledIds.push(rule.id);
      continue;
    }
    const capability = capabilities[rule.action];
    if ('unsupported' in capability) {
      omissions.push({ ruleId: rule.id, action: rule.action, reason: capability.unsupported });
      continue;
    }
    const keys = presentKeys(rule);
    const extra = keys.filter((key) => !capability.keys.includes(key));
    if (extra.length > 0) {
      const testable = keys.filter((key) => capability.keys.includes(key));
      omissions.push({
        ruleId: rule.id,
        action: rule.action,
        reason:
          testable.length > 0
            ? `also tests ${extra.join(', ')}, which this target cannot see; ${testable.join(', ')} alone would match more than the rule does`
            : `tests ${extra.join(', ')}; this target can test only ${capability.keys.join(', ')} for ${rule.action} rules`,
      });
      continue;
    }
    let comment: string | undefined;
    if (rule.comment !== undefined && rule.comment !== '') {
      const problem = commentTextProblem(rule.comment);
      if (problem === null) {
        comment = rule.comment;
      } else {
        errors.push(
          userError(
            'export.invalid-text',
            `Rule ${showValue(rule.id)}: comment ${showValue(rule.comment)}: ${problem}.`,
            {
              hint: COMMENT_HINT,
            },
          ),
        );
      }
    }
    rules.push({ rule, comment });
  }
  return { name: set.name, rules, omissions, disabledIds };
}

/** The problem for one value that cannot be written, naming rule, key and value. */
export function invalidValueError(
  ruleId: string,
  key: ConditionKey,
  value: string,
  problem: InvalidValue,
): UserError {
  return userError(
    'export.invalid-value',
    `Rule ${showValue(ruleId)}: ${key} ${showValue(value)}: ${problem.reason}.`,
    problem.hint === undefined ? {} : { hint: problem.hint },
  );
}

/** `Rule lb-keepalive (hide): Cisco CSS keepalive, every 5 s` */
export function ruleHeading(planned: PlannedRule): string {
  const { rule, comment } = planned;
  return `Rule ${rule.id} (${rule.action})${comment === undefined ? '' : `: ${comment}`}`;
}

/** Comment lines listing what was left out and what was switched off, after the written rules. */
export function omissionLines(plan: ExportPlan, writtenRuleCount: number): string[] {
  const lines: string[] = [];
  if (writtenRuleCount === 0) {
    lines.push(
      '',
      'Nothing to write: no enabled rule of this set can be expressed for this target.',
    );
  }
  if (plan.omissions.length > 0) {
    lines.push('', 'Not exported (this target cannot express them):');
    for (const omission of plan.omissions) {
      lines.push(`- ${omission.ruleId} (${omission.action}): ${omission.reason}.`);
    }
  }
  if (plan.disabledIds.length > 0) {
    lines.push('', `Disabled in LogSieve, so not exported: ${plan.disabledIds.join(', ')}.`);
  }
  return lines;
}

/**
 * Last line of defence: every line must fit the target's output grammar. Input validation makes
 * this unreachable; if it is ever reached it is a bug, and nothing is returned to be pasted.
 */
export function assertLinesFit(targetId: string, text: string, grammar: readonly RegExp[]): void {
  for (const line of text.split('\n').slice(0, -1)) {
    if (!grammar.some((pattern) => pattern.test(line))) {
      throw new Error(
        `${targetId} exporter produced a line outside its grammar: ${JSON.stringify(line)}`,
      );
    }
  }
  if (!text.endsWith('\n'))
    throw new Error(`${targetId} exporter output does not end with a newline`);
}
