import { showValue } from '../display';
import type { InvalidValue } from '../net/address';
import { parseHostPattern } from '../net/host-pattern';
import { parseIpSpec } from '../net/range';
import { err, ok, userError, type Result, type UserError } from '../result';
import { jsonPointer, parseJsonWithPositions, type ParsedJson, type SourcePosition } from './json';
import {
  CONDITION_KEYS,
  FIELD_OPS,
  FILTER_SET_KIND,
  FILTER_SET_VERSION,
  RULE_ACTIONS,
  RULE_ID,
  type ConditionKey,
  type FieldCondition,
  type FilterRule,
  type FilterSet,
  type RuleConditions,
} from './model';

/**
 * Loading and saving filter sets: parse (with positions) → check kind and version → migrate one
 * version at a time → validate every key and value, reporting every problem at once.
 */

/**
 * One step of the migration chain: turns a document of version `from` into version `from + 1`.
 * Pure, on plain JSON values. Version 1 is the first version ever written, so the chain is empty;
 * the next format change adds `{ from: 1, migrate }` here and a `filterset.v1.json` fixture test.
 */
export interface FilterSetMigration {
  readonly from: number;
  readonly migrate: (document: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

export const FILTER_SET_MIGRATIONS: readonly FilterSetMigration[] = [];

export interface MigrationChain {
  readonly currentVersion: number;
  readonly migrations: readonly FilterSetMigration[];
}

const SHIPPED_CHAIN: MigrationChain = {
  currentVersion: FILTER_SET_VERSION,
  migrations: FILTER_SET_MIGRATIONS,
};

const MAX_NAME_LENGTH = 200;
const MAX_TEXT_LENGTH = 1000;

/** Reads a `.logsieve-filters.json` file. Never throws; says what is wrong and where. */
export function parseFilterSet(text: string): Result<FilterSet, UserError[]> {
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) return err([parsed.error]);
  return loadFilterSetDocument(parsed.value.value, parsed.value);
}

/**
 * Checks kind and version, migrates to the current version and validates. `positions` (from the
 * JSON reader) puts line and column on errors; after a migration they no longer apply and are
 * dropped. `chain` is replaceable so the migration mechanism itself can be tested.
 */
export function loadFilterSetDocument(
  document: unknown,
  positions?: ParsedJson,
  chain: MigrationChain = SHIPPED_CHAIN,
): Result<FilterSet, UserError[]> {
  if (!isObject(document)) {
    return err([
      userError(
        'filterset.not-a-filter-set',
        'Not a LogSieve filter set: the file is not a JSON object.',
      ),
    ]);
  }
  if (document.logsieve !== FILTER_SET_KIND) {
    return err([
      userError(
        'filterset.not-a-filter-set',
        `Not a LogSieve filter set: it has no "logsieve": "${FILTER_SET_KIND}" key.`,
        {
          hint: 'Open a file saved by LogSieve (.logsieve-filters.json).',
          ...positionOf(positions, ['logsieve']),
        },
      ),
    ]);
  }
  const version = document.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return err([
      userError('filterset.version-invalid', '`version` must be a whole number.', {
        ...positionOf(positions, ['version']),
      }),
    ]);
  }
  if (version > chain.currentVersion) {
    return err([
      userError(
        'filterset.version-too-new',
        `Saved by a newer LogSieve: the file is version ${version}, this LogSieve reads up to version ${chain.currentVersion}.`,
        { hint: 'Update LogSieve to open this file.', ...positionOf(positions, ['version']) },
      ),
    ]);
  }
  let current: Record<string, unknown> = document;
  for (let from = version; from < chain.currentVersion; from += 1) {
    const step = chain.migrations.find((m) => m.from === from);
    if (step === undefined) {
      return err([
        userError(
          'filterset.version-unsupported',
          `This LogSieve cannot read filter-set version ${from} (no migration from it to version ${from + 1}).`,
        ),
      ]);
    }
    current = step.migrate(current);
  }
  return validateFilterSet(current, version === chain.currentVersion ? positions : undefined);
}

/**
 * Validates a current-version document (a parsed file, or a set the viewer changed) and returns a
 * fresh, typed copy holding only known keys. Reports every problem, in file order.
 */
export function validateFilterSet(
  value: unknown,
  positions?: ParsedJson,
): Result<FilterSet, UserError[]> {
  const errors: UserError[] = [];
  const report = (
    code: string,
    message: string,
    path: readonly (string | number)[],
    extra: { hint?: string; atKey?: boolean } = {},
  ): void => {
    const at = positionOf(positions, path, extra.atKey === true);
    errors.push(
      userError(code, message, {
        ...(extra.hint === undefined ? {} : { hint: extra.hint }),
        ...at,
      }),
    );
  };

  if (!isObject(value)) {
    return err([
      userError('filterset.not-a-filter-set', 'Not a LogSieve filter set: not a JSON object.'),
    ]);
  }
  reportUnknownKeys(
    value,
    ['logsieve', 'version', 'name', 'rules'],
    [],
    'at the top level',
    report,
  );
  if (value.logsieve !== FILTER_SET_KIND) {
    report('filterset.not-a-filter-set', `"logsieve" must be "${FILTER_SET_KIND}".`, ['logsieve']);
  }
  if (value.version !== FILTER_SET_VERSION) {
    report('filterset.version-invalid', `"version" must be ${FILTER_SET_VERSION}.`, ['version']);
  }
  const name = value.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    report(
      typeof name === 'string' ? 'filterset.invalid-value' : 'filterset.missing-key',
      `The filter set needs a "name": text of 1–${MAX_NAME_LENGTH} characters.`,
      name === undefined ? [] : ['name'],
    );
  }
  const rulesValue = value.rules;
  const rules: FilterRule[] = [];
  if (!Array.isArray(rulesValue)) {
    report(
      'filterset.missing-key',
      'The filter set needs "rules": a list (it may be empty).',
      rulesValue === undefined ? [] : ['rules'],
    );
  } else {
    const firstIndexOfId = new Map<string, number>();
    rulesValue.forEach((ruleValue: unknown, index) => {
      const rule = validateRule(ruleValue, index, report);
      // Ids are compared even for rules with other problems, so that every problem shows at once.
      const id = isObject(ruleValue) && typeof ruleValue.id === 'string' ? ruleValue.id : undefined;
      if (id !== undefined && RULE_ID.test(id)) {
        const earlier = firstIndexOfId.get(id);
        if (earlier !== undefined) {
          report(
            'filterset.duplicate-rule-id',
            `rule ${index + 1}: id ${showValue(id)} is already used by rule ${earlier + 1}; rule ids must be unique.`,
            ['rules', index, 'id'],
          );
        } else {
          firstIndexOfId.set(id, index);
        }
      }
      if (rule !== undefined) rules.push(rule);
    });
  }
  if (errors.length > 0 || typeof name !== 'string') return err(errors);
  return ok({ logsieve: FILTER_SET_KIND, version: FILTER_SET_VERSION, name, rules });
}

type Report = (
  code: string,
  message: string,
  path: readonly (string | number)[],
  extra?: { hint?: string; atKey?: boolean },
) => void;

function validateRule(value: unknown, index: number, report: Report): FilterRule | undefined {
  const path = ['rules', index];
  if (!isObject(value)) {
    report(
      'filterset.wrong-type',
      `rule ${index + 1}: must be an object with id, enabled, action and when.`,
      path,
    );
    return undefined;
  }
  const id = value.id;
  const validId = typeof id === 'string' && RULE_ID.test(id);
  const label = validId ? `rule ${index + 1} ${showValue(id)}` : `rule ${index + 1}`;
  let problems = 0;
  const fail: Report = (code, message, p, extra) => {
    problems += 1;
    report(code, message, p, extra);
  };

  reportUnknownKeys(
    value,
    ['id', 'enabled', 'action', 'when', 'comment'],
    path,
    `in ${label}`,
    fail,
  );
  if (!validId) {
    fail(
      id === undefined ? 'filterset.missing-key' : 'filterset.invalid-value',
      id === undefined
        ? `${label}: missing "id".`
        : `${label}: id ${typeof id === 'string' ? showValue(id) : 'must be text'}: use 1–64 letters, digits, \`.\`, \`_\` or \`-\`, starting with a letter or digit.`,
      id === undefined ? path : [...path, 'id'],
      { hint: 'Rule ids become labels in exported device configuration.' },
    );
  }
  const enabled = value.enabled;
  if (typeof enabled !== 'boolean') {
    fail(
      enabled === undefined ? 'filterset.missing-key' : 'filterset.wrong-type',
      `${label}: "enabled" must be true or false.`,
      enabled === undefined ? path : [...path, 'enabled'],
    );
  }
  const action = value.action;
  if (!isOneOf(action, RULE_ACTIONS)) {
    fail(
      action === undefined ? 'filterset.missing-key' : 'filterset.invalid-value',
      `${label}: "action" must be one of ${RULE_ACTIONS.join(', ')}${
        typeof action === 'string' ? `, not ${showValue(action)}` : ''
      }.`,
      action === undefined ? path : [...path, 'action'],
    );
  }
  const comment = value.comment;
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > MAX_TEXT_LENGTH)) {
    fail(
      'filterset.invalid-value',
      `${label}: "comment" must be text of at most ${MAX_TEXT_LENGTH} characters.`,
      [...path, 'comment'],
    );
  }
  const when = validateConditions(value.when, label, [...path, 'when'], fail);
  if (
    problems > 0 ||
    when === undefined ||
    !validId ||
    typeof enabled !== 'boolean' ||
    !isOneOf(action, RULE_ACTIONS)
  ) {
    return undefined;
  }
  const rule: FilterRule = { id, enabled, action, when };
  return typeof comment === 'string' ? { ...rule, comment } : rule;
}

function validateConditions(
  value: unknown,
  label: string,
  path: readonly (string | number)[],
  report: Report,
): RuleConditions | undefined {
  if (value === undefined) {
    report(
      'filterset.missing-key',
      `${label}: missing "when" (the conditions the rule matches).`,
      path.slice(0, -1),
    );
    return undefined;
  }
  if (!isObject(value)) {
    report('filterset.wrong-type', `${label}: "when" must be an object of conditions.`, path);
    return undefined;
  }
  reportUnknownKeys(value, CONDITION_KEYS, path, `in the "when" of ${label}`, report, {
    hint: `Known conditions: ${CONDITION_KEYS.join(', ')}.`,
  });
  const conditions: Partial<Record<ConditionKey, unknown>> = {};
  let present = 0;
  let valid = true;
  for (const key of CONDITION_KEYS) {
    const list = value[key];
    if (list === undefined) continue;
    present += 1;
    const keyPath = [...path, key];
    if (!Array.isArray(list)) {
      report('filterset.wrong-type', `${label}: ${key} must be a list of values.`, keyPath);
      valid = false;
      continue;
    }
    if (list.length === 0) {
      report(
        'filterset.empty-condition',
        `${label}: ${key} lists no values, so the rule could never match.`,
        keyPath,
        { hint: `Add a value or remove "${key}".` },
      );
      valid = false;
      continue;
    }
    const checked = list.map((item: unknown, i) =>
      validateConditionValue(key, item, label, [...keyPath, i], report),
    );
    if (checked.some((c) => c === undefined)) valid = false;
    else conditions[key] = checked;
  }
  if (present === 0) {
    report(
      'filterset.empty-when',
      `${label}: "when" has no conditions, so the rule would match every record.`,
      path,
      {
        hint: `Add at least one of ${CONDITION_KEYS.join(', ')}.`,
      },
    );
    return undefined;
  }
  return valid ? (conditions as RuleConditions) : undefined;
}

function validateConditionValue(
  key: ConditionKey,
  item: unknown,
  label: string,
  path: readonly (string | number)[],
  report: Report,
): string | FieldCondition | undefined {
  if (key === 'field') return validateFieldCondition(item, label, path, report);
  if (typeof item !== 'string') {
    report('filterset.wrong-type', `${label}: ${key} values must be text.`, path);
    return undefined;
  }
  const problem = conditionValueProblem(key, item);
  if (problem === undefined) return item;
  report(
    key === 'regex' ? 'filterset.invalid-regex' : 'filterset.invalid-value',
    `${label}: ${key} ${showValue(item)}: ${problem.reason}.`,
    path,
    problem.hint === undefined ? {} : { hint: problem.hint },
  );
  return undefined;
}

function conditionValueProblem(
  key: Exclude<ConditionKey, 'field'>,
  item: string,
): InvalidValue | undefined {
  switch (key) {
    case 'srcIp': {
      const spec = parseIpSpec(item);
      return spec.ok ? undefined : spec.error;
    }
    case 'certHost':
    case 'host': {
      const pattern = parseHostPattern(item);
      return pattern.ok ? undefined : pattern.error;
    }
    case 'regex': {
      const reason = regexProblem(item);
      return reason === undefined ? undefined : { reason };
    }
    case 'tag':
    case 'code':
    case 'source':
    case 'level':
    case 'text':
      if (item === '') return { reason: 'must not be empty' };
      if (item.length > MAX_TEXT_LENGTH)
        return { reason: `is longer than ${MAX_TEXT_LENGTH} characters` };
      return undefined;
  }
}

function validateFieldCondition(
  item: unknown,
  label: string,
  path: readonly (string | number)[],
  report: Report,
): FieldCondition | undefined {
  if (!isObject(item)) {
    report(
      'filterset.wrong-type',
      `${label}: each field condition must be { "name", "op", "value" }.`,
      path,
    );
    return undefined;
  }
  const state = { valid: true };
  const bad: Report = (code, message, p, extra) => {
    state.valid = false;
    report(code, message, p, extra);
  };
  reportUnknownKeys(item, ['name', 'op', 'value'], path, `in a field condition of ${label}`, bad);
  const { name, op, value } = item;
  if (typeof name !== 'string' || name === '' || name.length > MAX_NAME_LENGTH) {
    bad(
      'filterset.invalid-value',
      `${label}: a field condition needs a "name" (the field to test).`,
      [...path, 'name'],
    );
  }
  if (!isOneOf(op, FIELD_OPS)) {
    bad('filterset.invalid-value', `${label}: field "op" must be one of ${FIELD_OPS.join(', ')}.`, [
      ...path,
      'op',
    ]);
  }
  if (typeof value !== 'string' || value === '' || value.length > MAX_TEXT_LENGTH) {
    bad('filterset.invalid-value', `${label}: a field condition needs a non-empty "value".`, [
      ...path,
      'value',
    ]);
  } else if (op === 'regex') {
    const problem = regexProblem(value);
    if (problem !== undefined) {
      bad('filterset.invalid-regex', `${label}: field regex ${showValue(value)}: ${problem}.`, [
        ...path,
        'value',
      ]);
    }
  }
  if (
    !state.valid ||
    typeof name !== 'string' ||
    typeof value !== 'string' ||
    !isOneOf(op, FIELD_OPS)
  )
    return undefined;
  return { name, op, value };
}

/** Rule regexes are JavaScript regexes with the `u` flag, the flavour the viewer runs. */
function regexProblem(source: string): string | undefined {
  if (source === '') return 'must not be empty';
  if (source.length > MAX_TEXT_LENGTH) return `is longer than ${MAX_TEXT_LENGTH} characters`;
  try {
    new RegExp(source, 'u');
    return undefined;
  } catch (error) {
    // The engine's message quotes the pattern; keep only its reason.
    const message = error instanceof Error ? error.message : String(error);
    return `not a valid regular expression (${message.replace(/^.*: /, '')})`;
  }
}

function reportUnknownKeys(
  object: Readonly<Record<string, unknown>>,
  known: readonly string[],
  path: readonly (string | number)[],
  where: string,
  report: Report,
  extra: { hint?: string } = {},
): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      report('filterset.unknown-key', `Unknown key ${showValue(key)} ${where}.`, [...path, key], {
        atKey: true,
        hint: extra.hint ?? `Known keys: ${known.join(', ')}.`,
      });
    }
  }
}

function positionOf(
  positions: ParsedJson | undefined,
  path: readonly (string | number)[],
  atKey = false,
): Partial<SourcePosition> {
  const pointer = jsonPointer(path);
  const at = atKey ? positions?.keyAt.get(pointer) : positions?.valueAt.get(pointer);
  return at === undefined ? {} : { line: at.line, column: at.column };
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return typeof value === 'string' && (options as readonly string[]).includes(value);
}

/**
 * The file text for a set: keys in a fixed order, two-space indent, trailing newline, so that
 * saving an unchanged set changes no byte and diffs of saved sets are readable.
 */
export function serializeFilterSet(set: FilterSet): string {
  const document = {
    logsieve: set.logsieve,
    version: set.version,
    name: set.name,
    rules: set.rules.map((rule) => {
      const when: Record<string, unknown> = {};
      for (const key of CONDITION_KEYS) {
        const values = rule.when[key];
        if (values === undefined) continue;
        when[key] =
          key === 'field'
            ? (values as readonly FieldCondition[]).map((f) => ({
                name: f.name,
                op: f.op,
                value: f.value,
              }))
            : [...values];
      }
      return {
        id: rule.id,
        enabled: rule.enabled,
        action: rule.action,
        when,
        ...(rule.comment === undefined ? {} : { comment: rule.comment }),
      };
    }),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
