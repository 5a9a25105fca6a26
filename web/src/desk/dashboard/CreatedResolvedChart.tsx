import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * Created and resolved per day as two lines (uPlot: ~50 KB, no dependencies, canvas). Loaded only
 * with the dashboard (React.lazy), so no other page pays for it. It follows its box's width, so
 * it reads on a phone too; the same figures are in a table beside it for screen readers.
 */
export default function CreatedResolvedChart({ days }: { days: { day: string; created: number; resolved: number }[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const css = getComputedStyle(document.documentElement);
    const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    // Days at local noon: the axis labels then name the right day in every time zone.
    const x = days.map((d) => Date.parse(`${d.day}T12:00:00`) / 1000);
    const axis = { stroke: color('--muted', '#555'), grid: { stroke: color('--border', '#ddd'), width: 1 }, ticks: { show: false } };
    const chart = new uPlot(
      {
        width: el.clientWidth,
        height: 220,
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
        axes: [axis, { ...axis, size: 40 }],
        legend: { show: true },
        cursor: { points: { size: 6 } },
        series: [
          {
            label: 'Day',
            value: (_u, v) => (v === null ? '' : new Date(v * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })),
          },
          { label: 'Created', stroke: color('--accent', '#b4361f'), width: 2 },
          { label: 'Resolved', stroke: color('--ok', '#1e6b3a'), width: 2, dash: [6, 4] },
        ],
      },
      [x, days.map((d) => d.created), days.map((d) => d.resolved)],
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [days]);
  return <div ref={box} className="kpi-chart" aria-hidden="true" />;
}
