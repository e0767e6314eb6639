/**
 * The timeline above the grid: a histogram of the view's rows over the files' time range, stacked
 * by level or tag. Dragging selects a time window that limits the rows; a click on a bar takes the
 * grid to the first row at that time. Axis labels are in the display time zone.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import type { FileSummary, TimelineResult, TimelineSeriesData } from '../../../shared/api';
import { describeError } from '../api/client';
import { formatCount, formatTime, plural, zoneLabel } from '../display';
import { useClient, useExplore, useSettings, useStores, useViewer } from '../store/context';
import { viewOf } from '../store/viewer-store';

const HEIGHT = 84;
const AXIS = 16;
const LEVEL_COLOURS: Record<string, string> = {
  emerg: '#8b1a1a',
  alert: '#9c1f1f',
  crit: '#b42318',
  critical: '#b42318',
  error: '#d92d20',
  err: '#d92d20',
  warn: '#dc8a09',
  warning: '#dc8a09',
  notice: '#2e90fa',
  info: '#6a9fd8',
  information: '#6a9fd8',
  debug: '#98a2b3',
  trace: '#b8c0cc',
};
const PALETTE = ['#6a9fd8', '#dc8a09', '#12b76a', '#9e77ed', '#ee46bc', '#2ed3b7', '#f97066'];

function colourOf(series: TimelineSeriesData, index: number): string {
  if (series.kind === 'none') return '#6a9fd8';
  if (series.kind === 'other') return '#c7ccd4';
  const level = series.key?.toLowerCase();
  return (level !== undefined && LEVEL_COLOURS[level]) || PALETTE[index % PALETTE.length]!;
}

function seriesLabel(series: TimelineSeriesData): string {
  if (series.kind === 'none') return '(none)';
  if (series.kind === 'other') return 'other';
  return series.key ?? '(none)';
}

/** Tick labels: dates when the range spans days, times of day otherwise. */
function tickLabel(ms: number, spanMs: number, zone: string): string {
  const text = formatTime(ms, zone);
  if (spanMs > 2 * 86_400_000) return text.slice(5, 16);
  if (spanMs > 3_600_000) return text.slice(5, 16);
  if (spanMs > 60_000) return text.slice(11, 19);
  return text.slice(11, 23);
}

function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  // Measured before the first paint, so the plot never changes size under the pointer.
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    setWidth(Math.max(100, Math.floor(element.clientWidth)));
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(100, Math.floor(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

function Bars({ timeline, width }: { timeline: TimelineResult; width: number }) {
  const buckets = timeline.totals.length;
  const max = Math.max(1, ...timeline.totals);
  const step = width / Math.max(1, buckets);
  const plot = HEIGHT - AXIS;
  const series = timeline.series.length > 0 ? timeline.series : null;
  const rects: React.ReactNode[] = [];
  for (let i = 0; i < buckets; i++) {
    if (series === null) {
      const h = (timeline.totals[i]! / max) * plot;
      if (h > 0)
        rects.push(
          <rect
            key={i}
            x={i * step}
            y={plot - h}
            width={Math.max(1, step - 1)}
            height={h}
            fill="#6a9fd8"
          />,
        );
      continue;
    }
    let y = plot;
    series.forEach((s, j) => {
      const c = s.counts[i] ?? 0;
      if (c === 0) return;
      const h = (c / max) * plot;
      y -= h;
      rects.push(
        <rect
          key={`${i}.${j}`}
          x={i * step}
          y={y}
          width={Math.max(1, step - 1)}
          height={Math.max(0.5, h)}
          fill={colourOf(s, j)}
        />,
      );
    });
  }
  return <>{rects}</>;
}

export function Timeline({ file }: { file: FileSummary }) {
  const client = useClient();
  const { viewer } = useStores();
  const zone = useSettings((s) => s.settings.displayTimeZone);
  const timeline = useExplore((s) => s.timeline);
  const error = useExplore((s) => s.timelineError);
  const window_ = useExplore((s) => s.window);
  const stackBy = useExplore((s) => s.stackBy);
  const setWindow = useExplore((s) => s.setWindow);
  const setStackBy = useExplore((s) => s.setStackBy);
  const jumpToRow = useViewer((s) => s.jumpToRow);
  const notify = useViewer((s) => s.notify);
  const [host, width] = useWidth();
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);

  const buckets = timeline?.totals.length ?? 0;
  const spanMs = timeline === null ? 0 : buckets * timeline.bucketMs;
  const timeAt = (x: number): number =>
    timeline === null ? 0 : timeline.start + (Math.max(0, Math.min(width, x)) / width) * spanMs;
  const xOf = (ms: number): number =>
    timeline === null || spanMs === 0 ? 0 : ((ms - timeline.start) / spanMs) * width;
  const localX = (event: React.PointerEvent<SVGSVGElement>): number =>
    event.clientX - event.currentTarget.getBoundingClientRect().left;

  const goTo = async (x: number): Promise<void> => {
    if (timeline === null) return;
    const bucket = Math.min(buckets - 1, Math.max(0, Math.floor((x / width) * buckets)));
    const view = viewOf(viewer.getState(), file.id);
    try {
      const row = await client.rowAtTime(
        { fileId: file.id, order: view.order, descending: view.descending },
        timeline.start + bucket * timeline.bucketMs,
      );
      if (row === null)
        notify('info', {
          code: 'timeline.no-row',
          message: 'No row of this file at or after that time.',
        });
      else jumpToRow(file.id, row);
    } catch (e) {
      notify('error', describeError(e));
    }
  };

  const tickCount = Math.max(1, Math.floor(width / 140));
  const ticks: number[] =
    timeline === null || timeline.empty
      ? []
      : Array.from({ length: tickCount }, (_, i) =>
          Math.round(timeline.start + (spanMs * i) / tickCount),
        );

  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline">
      <div className="timeline-head">
        <span className="panel-title">Timeline</span>
        <label>
          Stack by{' '}
          <select
            aria-label="Stack by"
            value={stackBy ?? 'none'}
            onChange={(e) =>
              setStackBy(e.target.value === 'none' ? null : (e.target.value as 'level' | 'tag'))
            }
          >
            <option value="level">Level</option>
            <option value="tag">Tag</option>
            <option value="none">Nothing</option>
          </select>
        </label>
        {window_ !== null ? (
          <>
            <span data-testid="timeline-window">
              Window {formatTime(window_.from, zone).slice(0, 19)} –{' '}
              {formatTime(window_.to, zone).slice(0, 19)} {zoneLabel(zone)}
            </span>
            <button onClick={() => setWindow(null)}>Clear window</button>
          </>
        ) : (
          <span className="quiet">Drag to choose a time window; click a bar to go there.</span>
        )}
        {timeline !== null && timeline.untimed > 0 && (
          <span className="quiet">{plural(timeline.untimed, 'row')} without a time</span>
        )}
        <span className="timeline-legend">
          {timeline?.series.map((s, j) => (
            <span key={j} className="legend-entry" title={`${formatCount(s.total)} rows`}>
              <span className="swatch" style={{ background: colourOf(s, j) }} />
              {seriesLabel(s)}
            </span>
          ))}
        </span>
      </div>
      <div className="timeline-plot" ref={host}>
        {error !== null ? (
          <p className="error-text pad-small">{error.message}</p>
        ) : timeline === null ? (
          <p className="quiet pad-small">Counting…</p>
        ) : timeline.empty ? (
          <p className="quiet pad-small">No row in this view has a time.</p>
        ) : (
          <svg
            width={width}
            height={HEIGHT}
            role="img"
            aria-label={`Rows over time, ${formatTime(timeline.from, zone)} to ${formatTime(timeline.to, zone)}`}
            data-testid="timeline-plot"
            onPointerDown={(e) => {
              if (e.button !== 0) return;
              e.currentTarget.setPointerCapture(e.pointerId);
              const x = localX(e);
              setDrag({ from: x, to: x });
            }}
            onPointerMove={(e) => {
              if (drag !== null) setDrag({ ...drag, to: localX(e) });
            }}
            onPointerUp={(e) => {
              if (drag === null) return;
              const to = localX(e);
              setDrag(null);
              if (Math.abs(to - drag.from) < 4) {
                void goTo(drag.from);
                return;
              }
              const a = timeAt(Math.min(drag.from, to));
              const b = timeAt(Math.max(drag.from, to));
              setWindow({ from: Math.floor(a), to: Math.ceil(b) });
            }}
          >
            <Bars timeline={timeline} width={width} />
            <line x1={0} x2={width} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} className="axis" />
            {ticks.map((t) => (
              <g key={t}>
                <line
                  x1={xOf(t)}
                  x2={xOf(t)}
                  y1={HEIGHT - AXIS}
                  y2={HEIGHT - AXIS + 4}
                  className="axis"
                />
                <text x={xOf(t) + 3} y={HEIGHT - 3} className="tick">
                  {tickLabel(t, spanMs, zone)}
                </text>
              </g>
            ))}
            {window_ !== null && (
              <rect
                className="window-overlay"
                x={xOf(window_.from)}
                y={0}
                width={Math.max(1, xOf(window_.to) - xOf(window_.from))}
                height={HEIGHT - AXIS}
              />
            )}
            {drag !== null && (
              <rect
                className="drag-overlay"
                x={Math.min(drag.from, drag.to)}
                y={0}
                width={Math.abs(drag.to - drag.from)}
                height={HEIGHT - AXIS}
              />
            )}
          </svg>
        )}
      </div>
    </section>
  );
}
