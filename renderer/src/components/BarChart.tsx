/** Counts over time as bars scaled to the largest (a group's sparkline, a finding's arrivals). */
export function BarChart({
  counts,
  width,
  height,
  gap,
  className,
  label,
}: {
  counts: readonly number[];
  width: number;
  height: number;
  /** Space between bars, in px. */
  gap: number;
  className: string;
  /** What the chart shows, for assistive technology; without one the chart is decoration. */
  label?: string;
}) {
  if (counts.length === 0) return null;
  const max = Math.max(1, ...counts);
  const step = width / counts.length;
  const described =
    label === undefined
      ? { 'aria-hidden': true as const }
      : { role: 'img' as const, 'aria-label': label };
  return (
    <svg className={className} width={width} height={height} {...described}>
      {counts.map((c, i) =>
        c === 0 ? null : (
          <rect
            key={i}
            x={i * step}
            y={height - Math.max(1, (c / max) * height)}
            width={Math.max(1, step - gap)}
            height={Math.max(1, (c / max) * height)}
          />
        ),
      )}
    </svg>
  );
}
