import { describe, expect, it } from 'vitest';
import { drillDown, filtersFrom, periodOf, reportQuery } from './filters';

const NOW = Date.parse('2026-03-31T10:20:00Z');

describe('the dashboard’s filters', () => {
  it('read the URL, falling back to the last 30 days for an unknown period', () => {
    expect(filtersFrom(new URLSearchParams('period=5y&teamId=t1')).period).toBe('30d');
    expect(filtersFrom(new URLSearchParams('period=7d')).period).toBe('7d');
  });

  it('end the period at the next full hour, so every tile reports the same period for an hour', () => {
    expect(periodOf('7d', NOW)).toEqual({ from: '2026-03-24T11:00:00.000Z', to: '2026-03-31T11:00:00.000Z' });
    expect(periodOf('7d', NOW + 30 * 60_000)).toEqual(periodOf('7d', NOW));
  });

  it('pass only the filters that are set to the reports API', () => {
    const f = filtersFrom(new URLSearchParams('period=7d&teamId=t1&kind=incident'));
    expect(reportQuery(f, NOW, 'Europe/Paris')).toEqual({
      from: '2026-03-24T11:00:00.000Z',
      to: '2026-03-31T11:00:00.000Z',
      timeZone: 'Europe/Paris',
      teamId: 't1',
      kind: 'incident',
    });
  });

  it('drill down to the desk queue with the same filters and the figure’s own', () => {
    const f = filtersFrom(new URLSearchParams('period=7d&teamId=t1&serviceId=s1'));
    const reopened = new URL(drillDown(f, { resolvedInPeriod: true, reopened: true }, NOW), 'http://x');
    expect(reopened.pathname).toBe('/desk/queue/report');
    expect(Object.fromEntries(reopened.searchParams)).toEqual({
      teamId: 't1',
      serviceId: 's1',
      kind: 'incident,service_request,disturbance', // the figures leave problems out
      state: 'resolved,closed',
      resolvedFrom: '2026-03-24T11:00:00.000Z',
      resolvedBefore: '2026-03-31T11:00:00.000Z',
      minReopens: '1',
      sort: '-updatedAt',
    });
    const breached = new URL(drillDown(f, { resolvedInPeriod: true, slaBreached: true }, NOW), 'http://x');
    expect(breached.searchParams.get('slaBreached')).toBe('true');
    expect(breached.searchParams.get('resolvedFrom')).toBe('2026-03-24T11:00:00.000Z');
    const rated = new URL(drillDown(f, { ratedInPeriod: true }, NOW), 'http://x');
    expect(Object.fromEntries(rated.searchParams)).toEqual({
      teamId: 't1',
      serviceId: 's1',
      kind: 'incident,service_request,disturbance',
      rated: 'true',
      ratedFrom: '2026-03-24T11:00:00.000Z',
      ratedBefore: '2026-03-31T11:00:00.000Z',
      sort: '-updatedAt',
    });
    const p1 = new URL(drillDown(f, { open: true, priority: 1, state: 'on_hold' }, NOW), 'http://x');
    expect(Object.fromEntries(p1.searchParams)).toMatchObject({ state: 'on_hold', priority: '1', teamId: 't1' });
    // Problems are counted when asked for by name, and then the queue shows them.
    const problems = filtersFrom(new URLSearchParams('period=7d&kind=problem'));
    expect(new URL(drillDown(problems, { openedInPeriod: true }, NOW), 'http://x').searchParams.get('kind')).toBe('problem');
  });
});

describe('the figures’ words', async () => {
  const { durationWords, percent, bucketOpened } = await import('./figures');
  it('read durations and rates at a glance', () => {
    expect(durationWords(null)).toBe('—');
    expect(durationWords(45 * 60_000)).toBe('45 min');
    expect(durationWords(3.24 * 3_600_000)).toBe('3.2 h');
    expect(durationWords(3 * 86_400_000)).toBe('3.0 days');
    expect(percent(0.874)).toBe('87%');
    expect(percent(null)).toBe('—');
  });
  it('turn a backlog bucket into the opening instants of its tickets', () => {
    expect(bucketOpened('7_to_30_days', NOW)).toEqual({ openedFrom: '2026-03-01T10:20:00.000Z', openedBefore: '2026-03-24T10:20:00.000Z' });
    expect(bucketOpened('over_30_days', NOW)).toEqual({ openedFrom: undefined, openedBefore: '2026-03-01T10:20:00.000Z' });
  });
});
