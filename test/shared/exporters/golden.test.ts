/**
 * Exporter output compared byte for byte with test/golden/<target>/<set>.<ext>.
 *
 * Golden files change only on purpose: run
 *   UPDATE_GOLDEN=1 npx vitest run test/shared/exporters/golden.test.ts
 * and read the diff (`git diff test/golden`) in review. Without UPDATE_GOLDEN a missing or
 * different golden file fails the test.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFilterSet } from '../../../shared/filters/persist';
import { EXPORT_TARGETS } from '../../../shared/exporters/registry';

const root = fileURLToPath(new URL('../../', import.meta.url));
const updating = process.env.UPDATE_GOLDEN === '1';

const SETS: Record<string, string> = {
  'csg-keepalive': 'fixtures/filterset.v1.json', // the example set of the issue
  'lb-keepalive': 'fixtures/exports/lb-keepalive.json',
  mixed: 'fixtures/exports/mixed.json',
  'nothing-expressible': 'fixtures/exports/nothing-expressible.json',
};

describe.each(Object.entries(SETS))('golden exports of %s', (setName, fixture) => {
  const parsed = parseFilterSet(readFileSync(`${root}${fixture}`, 'utf8'));
  it.each(EXPORT_TARGETS.map((t) => [t.id, t] as const))('%s', (_, target) => {
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const output = target.export(parsed.value, {});
    expect(output.ok ? [] : output.error).toEqual([]);
    if (!output.ok) return;
    const file = `${root}golden/${target.id}/${setName}${target.fileExtension}`;
    if (updating) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, output.value);
    }
    expect(existsSync(file), `${file} is missing; create it with UPDATE_GOLDEN=1`).toBe(true);
    expect(output.value).toBe(readFileSync(file, 'utf8'));
  });
});
