import type { CheckResultT } from '../api/types';

const WIDTH = 600;
const HEIGHT = 100;

/**
 * "14:05" in the reader's time zone; with seconds when the probes span minutes, with the date
 * when they span days, so the two ends of the axis never read the same.
 */
function timeLabel(at: string, spanMs: number): string {
  return new Date(at).toLocaleString(undefined, {
    ...(spanMs > 24 * 60 * 60_000 ? { day: 'numeric', month: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    ...(spanMs < 10 * 60_000 ? { second: '2-digit' } : {}),
  });
}

/** A round top for the scale, so the axis reads "500 ms", not "463 ms". */
function niceMax(ms: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(ms));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= ms) ?? 10;
  return step * magnitude;
}

/**
 * Response times as a line against a labelled millisecond scale and the probes' times, failed
 * probes as red marks, and the usual response time (the learnt baseline) as a dashed line once
 * it has learnt enough to mean something. The SVG stretches to the card; labels are HTML, so
 * they stay legible at any width.
 */
export function LatencyChart({
  results,
  meanMs,
  baselineReady,
  name,
}: {
  results: CheckResultT[];
  meanMs: number;
  baselineReady: boolean;
  name: string;
}) {
  if (results.length < 2) return <p className="muted">Not enough probes yet for a response-time chart.</p>;
  const latencies = results.map((r) => r.latencyMs).filter((v): v is number => v !== null);
  const failed = results.filter((r) => !r.ok).length;
  const top = niceMax(Math.max(1, ...latencies, baselineReady ? meanMs : 0) * 1.05);
  const x = (i: number) => (i / (results.length - 1)) * WIDTH;
  const y = (ms: number) => HEIGHT - (ms / top) * HEIGHT;
  const line = results
    .map((r, i) => (r.latencyMs === null ? null : `${x(i).toFixed(1)},${y(r.latencyMs).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  const first = results[0].at;
  const last = results[results.length - 1].at;
  const spanMs = new Date(last).getTime() - new Date(first).getTime();
  const range = latencies.length > 0 ? `response time ${Math.min(...latencies)}–${Math.max(...latencies)} ms` : 'no response times';
  const summary = `${name}: last ${results.length} probes, ${range}, ${failed} failed${baselineReady ? `, usually ${Math.round(meanMs)} ms` : ''}`;
  return (
    <figure className="latency-chart">
      <figcaption className="visually-hidden">{summary}</figcaption>
      <div className="latency-chart-plot">
        <div className="latency-chart-scale muted" aria-hidden="true">
          <span>{top} ms</span>
          <span>{top / 2} ms</span>
          <span>0 ms</span>
        </div>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={summary}>
          {[0, HEIGHT / 2, HEIGHT].map((at) => (
            <line key={at} x1="0" x2={WIDTH} y1={at} y2={at} className="latency-chart-grid" vectorEffect="non-scaling-stroke" />
          ))}
          {baselineReady && (
            <line x1="0" x2={WIDTH} y1={y(meanMs)} y2={y(meanMs)} className="latency-chart-usual" vectorEffect="non-scaling-stroke" />
          )}
          {results.map((r, i) =>
            r.ok ? null : (
              <line key={r.at} x1={x(i)} x2={x(i)} y1="0" y2={HEIGHT} className="latency-chart-failed" vectorEffect="non-scaling-stroke" />
            ),
          )}
          <polyline points={line} className="latency-chart-line" vectorEffect="non-scaling-stroke" />
        </svg>
        <span />
        <div className="latency-chart-times muted" aria-hidden="true">
          <span>{timeLabel(first, spanMs)}</span>
          <span>{timeLabel(last, spanMs)}</span>
        </div>
      </div>
      <div className="latency-chart-legend muted" aria-hidden="true">
        <span>
          <i className="key key-line" /> response time
        </span>
        {baselineReady && (
          <span>
            <i className="key key-usual" /> usual ({Math.round(meanMs)} ms)
          </span>
        )}
        {failed > 0 && (
          <span>
            <i className="key key-failed" /> failed probe
          </span>
        )}
      </div>
    </figure>
  );
}
