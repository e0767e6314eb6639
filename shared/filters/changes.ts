import { showValue } from '../display';
import { err, userError, type Result, type UserError } from '../result';
import type { FilterRule, FilterSet } from './model';
import { validateFilterSet } from './persist';

/**
 * Edits to a filter set are data (xyflow's `applyNodeChanges`): the viewer's store action is one
 * call to `applyFilterSetChanges`, and the logic is tested here without React.
 */
export type FilterSetChange =
  /** Inserts at `index` (0 … rules.length), at the end when omitted. */
  | { readonly type: 'add-rule'; readonly rule: FilterRule; readonly index?: number }
  | { readonly type: 'remove-rule'; readonly id: string }
  /** Replaces the given fields; `when` is replaced as a whole. `patch.id` renames the rule. */
  | { readonly type: 'update-rule'; readonly id: string; readonly patch: Partial<FilterRule> }
  /** Moves the rule so that it ends up at `toIndex` (0 … rules.length − 1). */
  | { readonly type: 'move-rule'; readonly id: string; readonly toIndex: number }
  /** The switch next to a rule. It sets rather than flips, so applying it twice is harmless. */
  | { readonly type: 'set-rule-enabled'; readonly id: string; readonly enabled: boolean }
  | { readonly type: 'rename-set'; readonly name: string };

/**
 * Applies the changes in order and validates the result with the same checks as loading a file,
 * so a set in the store is always one that could be saved. Never mutates `set`. On any problem
 * the set is left as it was and every problem is returned.
 */
export function applyFilterSetChanges(
  set: FilterSet,
  changes: readonly FilterSetChange[],
): Result<FilterSet, UserError[]> {
  let name = set.name;
  let rules: FilterRule[] = [...set.rules];
  const problems: UserError[] = [];
  const findRule = (id: string): number => {
    const index = rules.findIndex((rule) => rule.id === id);
    if (index < 0)
      problems.push(
        userError('filterset.unknown-rule', `No rule ${showValue(id)} in this filter set.`),
      );
    return index;
  };
  const indexProblem = (what: string, index: number, max: number): boolean => {
    if (Number.isInteger(index) && index >= 0 && index <= max) return false;
    problems.push(
      userError('filterset.invalid-change', `${what}: position ${index} is outside 0–${max}.`),
    );
    return true;
  };

  for (const change of changes) {
    switch (change.type) {
      case 'add-rule': {
        const at = change.index ?? rules.length;
        if (indexProblem(`Adding rule ${showValue(change.rule.id)}`, at, rules.length)) break;
        rules.splice(at, 0, change.rule);
        break;
      }
      case 'remove-rule': {
        const index = findRule(change.id);
        if (index >= 0) rules.splice(index, 1);
        break;
      }
      case 'update-rule': {
        const index = findRule(change.id);
        const current = rules[index];
        if (current !== undefined) rules[index] = { ...current, ...change.patch };
        break;
      }
      case 'move-rule': {
        const index = findRule(change.id);
        const moved = rules[index];
        if (moved === undefined) break;
        if (indexProblem(`Moving rule ${showValue(change.id)}`, change.toIndex, rules.length - 1))
          break;
        rules = rules.filter((_, i) => i !== index);
        rules.splice(change.toIndex, 0, moved);
        break;
      }
      case 'set-rule-enabled': {
        const index = findRule(change.id);
        const current = rules[index];
        if (current !== undefined) rules[index] = { ...current, enabled: change.enabled };
        break;
      }
      case 'rename-set':
        name = change.name;
        break;
    }
  }
  if (problems.length > 0) return err(problems);
  return validateFilterSet({ ...set, name, rules });
}
