/**
 * The findings of the active file, ordered by how much noise each explains: what it is, the
 * numbers, why it is (or is not) harmless, the remedy on the device, and the filter rules that
 * would hide it. "Show records" limits the grid to the finding's key; "Hide this" adds its rules
 * to the filter set. Everything from the log is shown as text, never as HTML.
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { GroupBy, GroupRow } from '../../../shared/api';
import type { Finding } from '../../../shared/findings/analyse';
import type { FindingLink, LinkedFinding } from '../../../shared/findings/links';
import type { FilterRule } from '../../../shared/filters/model';
import { describeError } from '../api/client';
import { plural } from '../display';
import { useFilters } from '../store/filters-context';
import { useClient, useExplore, useViewer } from '../store/context';
import { BarChart } from './BarChart';

const KIND_TITLES: Record<Finding['kind'], string> = {
  periodic: 'Periodic',
  'recurring-burst': 'Recurring burst',
  'dominant-source': 'Dominant source',
  'cert-host': 'Certificate host',
};

/** The grouping that holds a finding's key (or a linked finding's), and the keys it names. */
function keyOf(finding: Pick<Finding, 'match'>): { by: GroupBy; keys: string[] } | null {
  const pick = (value: string | readonly string[] | undefined): string[] =>
    value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
  if (finding.match.srcIp !== undefined) return { by: 'src-ip', keys: pick(finding.match.srcIp) };
  if (finding.match.certHost !== undefined)
    return { by: 'cert-host', keys: pick(finding.match.certHost) };
  if (finding.match.source !== undefined) return { by: 'source', keys: pick(finding.match.source) };
  return null;
}

function seconds(value: number): string {
  if (value >= 3600) return `${(value / 3600).toFixed(value % 3600 === 0 ? 0 : 2)} h`;
  if (value >= 60) return `${(value / 60).toFixed(value % 60 === 0 ? 0 : 1)} min`;
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} s`;
}

function Arrivals({ counts }: { counts: readonly number[] }) {
  return (
    <BarChart
      counts={counts}
      width={240}
      height={28}
      gap={1}
      className="finding-chart"
      label="Arrivals over the file's time range"
    />
  );
}

/** Rule ids must be unique in a set: a finding's rule gets a suffix when its id is taken. */
function freshIds(rules: readonly FilterRule[], taken: ReadonlySet<string>): FilterRule[] {
  const used = new Set(taken);
  return rules.map((rule) => {
    let id = rule.id;
    for (let n = 2; used.has(id); n++) id = `${rule.id}-${n}`;
    used.add(id);
    return { ...rule, id };
  });
}

/** "Lines up with: <finding> in <file>", why, and a button that shows those records. */
function LinkLine({ link, onShow }: { link: FindingLink; onShow: (() => void) | null }) {
  return (
    <li className="finding-link" data-testid="finding-link">
      <span>
        Lines up with: <strong>{link.title}</strong> in{' '}
        <span className="file-name">{link.name}</span>
      </span>
      <span className="finding-link-why">{link.reason}</span>
      {onShow !== null && (
        <button type="button" onClick={onShow} aria-label={`Show these records in ${link.name}`}>
          Show in {link.name}
        </button>
      )}
    </li>
  );
}

function FindingCard({
  finding,
  chart,
  onShow,
  onShowLink,
  onHide,
  hidden,
}: {
  finding: LinkedFinding;
  chart: readonly number[];
  onShow: (() => void) | null;
  onShowLink: (link: FindingLink) => (() => void) | null;
  onHide: () => void;
  hidden: boolean;
}) {
  const facts: string[] = [plural(finding.count, 'record')];
  if (finding.share !== null) facts.push(`${(finding.share * 100).toFixed(1)} % of its kind`);
  if (finding.periodSeconds !== null)
    facts.push(
      `every ${seconds(finding.periodSeconds)}${finding.jitterSeconds === null ? '' : ` ± ${seconds(finding.jitterSeconds)}`}`,
    );
  if (finding.first !== null && finding.last !== null)
    facts.push(
      `${finding.first.replace('T', ' ').replace(/\.000Z$/, 'Z')} – ${finding.last.replace('T', ' ').replace(/\.000Z$/, 'Z')}`,
    );
  return (
    <li className="finding" data-testid="finding">
      <div className="finding-head">
        <span className={`chip finding-kind kind-${finding.kind}`}>
          {KIND_TITLES[finding.kind]}
        </span>
        <strong className="finding-title">{finding.title}</strong>
      </div>
      <div className="finding-facts">{facts.join(' · ')}</div>
      <Arrivals counts={chart} />
      <p className="finding-text">{finding.explanation}</p>
      {finding.links.length > 0 && (
        <ul className="finding-links" aria-label="Lines up with">
          {finding.links.map((link) => (
            <LinkLine key={`${link.fileId}:${link.index}`} link={link} onShow={onShowLink(link)} />
          ))}
        </ul>
      )}
      <details className="finding-remedy">
        <summary>Remedy on the device</summary>
        <pre>{finding.remedy}</pre>
      </details>
      <div className="finding-actions">
        {onShow !== null && (
          <button type="button" onClick={onShow}>
            Show records
          </button>
        )}
        <button
          type="button"
          onClick={onHide}
          disabled={finding.rules.length === 0 || hidden}
          title={
            finding.rules.length === 0
              ? 'No filter rule describes this finding.'
              : `Adds ${plural(finding.rules.length, 'rule')} to the filter set`
          }
        >
          {hidden ? 'Rules added' : 'Hide this'}
        </button>
      </div>
    </li>
  );
}

export function FindingsPanel() {
  const client = useClient();
  const file = useViewer((s) => s.files.find((f) => f.id === s.activeFileId) ?? null);
  const notify = useViewer((s) => s.notify);
  const change = useFilters((s) => s.change);
  const ruleIds = useFilters((s) => s.set.rules.map((r) => r.id).join('\n'));
  const setGroupSpec = useExplore((s) => s.setGroupSpec);
  const selectGroup = useExplore((s) => s.selectGroup);
  const setSidebar = useExplore((s) => s.setSidebar);
  const setActive = useViewer((s) => s.setActive);
  // Other files' findings change what this file's link to: ask again when one of them is read.
  const others = useViewer((s) =>
    s.files
      .filter((f) => f.id !== s.activeFileId && f.state !== 'loading')
      .map((f) => `${f.id}:${f.revision}`)
      .join(' '),
  );
  const [findings, setFindings] = useState<readonly LinkedFinding[] | null>(null);
  const [charts, setCharts] = useState<ReadonlyMap<Finding, readonly number[]>>(new Map());
  const [added, setAdded] = useState<ReadonlySet<Finding>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);

  const fileId = file?.id ?? null;
  const ready = file !== null && file.state !== 'loading' && file.format !== null;
  const revision = ready ? file.revision : -1;
  useEffect(() => {
    if (fileId === null || revision < 0) {
      setFindings(null);
      return;
    }
    const run: { live: boolean } = { live: true };
    // A function, so the check is made again after each await.
    const alive = (): boolean => run.live;
    setProblem(null);
    void (async () => {
      try {
        const list = await client.findings(fileId);
        if (!alive()) return;
        setFindings(list);
        // One grouping per key column gives every finding's arrivals over the file.
        const byColumn = new Map<GroupBy, GroupRow[]>();
        const next = new Map<Finding, readonly number[]>();
        for (const f of list) {
          const key = keyOf(f);
          if (key === null) continue;
          let rows = byColumn.get(key.by);
          if (rows === undefined) {
            rows = [
              ...(
                await client.groups({ by: key.by, limit: 1000, sparkline: 60, fileIds: [fileId] })
              ).groups,
            ];
            byColumn.set(key.by, rows);
          }
          const sum = new Array<number>(60).fill(0);
          for (const row of rows)
            if (row.key !== null && key.keys.includes(row.key))
              row.sparkline.forEach((c, i) => (sum[i]! += c));
          next.set(f, sum);
        }
        if (alive()) setCharts(next);
      } catch (error) {
        if (alive()) setProblem(describeError(error).message);
      }
    })();
    return () => {
      run.live = false;
    };
  }, [client, fileId, revision, others]);

  const frame = (body: ReactNode) => (
    <aside className="findings-panel" aria-label="Findings" data-testid="findings-panel">
      {body}
    </aside>
  );
  if (file === null)
    return frame(<p className="panel-summary">Open a log to see what repeats in it.</p>);
  if (!ready)
    return frame(
      <p className="panel-summary">Findings come when {file.name} has finished loading.</p>,
    );
  if (problem !== null)
    return frame(
      <p className="panel-summary error-text" role="alert">
        {problem}
      </p>,
    );
  if (findings === null) return frame(<p className="panel-summary">Looking for what repeats…</p>);
  if (findings.length === 0)
    return frame(
      <p className="panel-summary" data-testid="findings-empty">
        Nothing in {file.name} repeats on a schedule or comes mostly from one source: no noise to
        explain here.
      </p>,
    );

  /** The grid limited to a finding's key, in the sidebar's group table. */
  const showKey = (key: { by: GroupBy; keys: string[] }): void => {
    setGroupSpec({ by: key.by });
    key.keys.forEach((k, n) => selectGroup(k, n > 0));
    setSidebar('groups');
  };

  const hide = (finding: Finding): void => {
    const rules = freshIds(finding.rules, new Set(ruleIds.split('\n')));
    const result = change(rules.map((rule) => ({ type: 'add-rule' as const, rule })));
    if (!result.ok) {
      notify('error', {
        code: 'findings.rules-refused',
        message: result.error.map((e) => e.message).join(' '),
      });
      return;
    }
    setAdded(new Set([...added, finding]));
    notify('info', {
      code: 'findings.rules-added',
      message: `Added ${rules.map((r) => r.id).join(', ')} to the filter set.`,
    });
  };

  return frame(
    <>
      <p className="panel-summary" data-testid="findings-summary">
        {plural(findings.length, 'finding')}, the noisiest first.
      </p>
      <ol className="findings" aria-label="Findings">
        {findings.map((finding, i) => {
          const key = keyOf(finding);
          return (
            <FindingCard
              key={i}
              finding={finding}
              chart={charts.get(finding) ?? []}
              hidden={added.has(finding)}
              onHide={() => hide(finding)}
              onShow={key === null ? null : () => showKey(key)}
              onShowLink={(link) => {
                const linked = keyOf(link);
                return linked === null
                  ? null
                  : () => {
                      setActive(link.fileId);
                      showKey(linked);
                    };
              }}
            />
          );
        })}
      </ol>
    </>,
  );
}
