import type { CheckResultT } from './types';

/** Response times as a line, failures as red ticks, the learnt baseline as a dashed line. */
export function LatencyChart({ results, meanMs, name }: { results: CheckResultT[]; meanMs: number; name: string }) {
  if (results.length < 2) return <p className="muted">Not enough results yet for a chart.</p>;
  const width = 600;
  const height = 80;
  const max = Math.max(1, ...results.map((r) => r.latencyMs ?? 0), meanMs) * 1.1;
  const x = (i: number) => (i / (results.length - 1)) * width;
  const y = (ms: number) => height - (ms / max) * height;
  const line = results
    .map((r, i) => (r.latencyMs === null ? null : `${x(i).toFixed(1)},${y(r.latencyMs).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  const latencies = results.map((r) => r.latencyMs).filter((v): v is number => v !== null);
  const summary = `${name}: last ${results.length} checks, response time ${Math.min(...latencies)}–${Math.max(...latencies)} ms, ${results.filter((r) => !r.ok).length} failed`;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={summary} style={{ maxWidth: width }}>
      <line x1="0" x2={width} y1={y(meanMs)} y2={y(meanMs)} stroke="currentColor" strokeOpacity="0.35" strokeDasharray="4 4" />
      <polyline points={line} fill="none" stroke="var(--link)" strokeWidth="2" />
      {results.map((r, i) =>
        !r.ok ? <line key={r.at} x1={x(i)} x2={x(i)} y1="0" y2={height} stroke="var(--danger)" strokeWidth="2" /> : null,
      )}
    </svg>
  );
}
