import { showValue } from '../display';
import type { FilterSet } from '../filters/model';
import { err, userError, type Result, type UserError } from '../result';
import type { ExportOptions, ExportTarget } from './common';
import { CPL_TARGET } from './cpl';
import { HTTPD24_TARGET, HTTPD_TARGET } from './httpd';

export type { ExportOptionSpec, ExportOptions, ExportTarget } from './common';

/** Every export target, in the order the UI and `logsieve export --help` list them. */
export const EXPORT_TARGETS: readonly ExportTarget[] = [HTTPD_TARGET, HTTPD24_TARGET, CPL_TARGET];

export function findExportTarget(id: string): ExportTarget | undefined {
  return EXPORT_TARGETS.find((target) => target.id === id);
}

/** Exports `set` for the target with this id; an unknown id is a problem like any other. */
export function exportFilterSet(
  targetId: string,
  set: FilterSet,
  options: ExportOptions = {},
): Result<string, UserError[]> {
  const target = findExportTarget(targetId);
  if (target === undefined) {
    return err([
      userError('export.unknown-target', `No export target called ${showValue(targetId)}.`, {
        hint: `Targets: ${EXPORT_TARGETS.map((t) => t.id).join(', ')}.`,
      }),
    ]);
  }
  return target.export(set, options);
}
