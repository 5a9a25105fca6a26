// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReportView, ImportRunView } from '../../../core/contracts/imports';
import { newQueryClient, withQueries } from '../testing/api-stub';
import { ImportAdmin } from './ImportAdmin';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const REPORT: ImportReportView = {
  dryRun: true,
  rows: 2,
  incidents: 2,
  created: 2,
  updated: 0,
  unchanged: 0,
  refused: [],
  refusedCount: 0,
  newPeople: 0,
  newTeams: 0,
  newCategories: 0,
  renumbered: 0,
  encoding: 'utf-8',
  delimiter: ',',
};

describe('Admin › Import, another tool’s file', () => {
  it('offers the channel and resolution values met in the file as selects of Firebreak’s, by label, and sends what was chosen', async () => {
    const sent: URL[] = [];
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const url = new URL(String(input), 'http://firebreak.test');
      if (url.pathname === '/api/v1/imports')
        return new Response(JSON.stringify({ runs: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
      sent.push(url);
      return new Response(JSON.stringify(REPORT), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    render(<ImportAdmin />, { wrapper: withQueries(newQueryClient()) });
    fireEvent.click(screen.getByRole('radio', { name: 'Other (CSV / JSON lines)' }));
    const file = new File(
      [
        'Key,Summary,Status,Created,Via,Resolution\n',
        'SUP-1,Laptop will not boot,Done,2026-03-02 09:15,Web form,Fixed remotely\n',
        'SUP-2,Projector flickers,Done,2026-03-03 08:00,Walk-up,Fixed remotely\n',
      ],
      'support.csv',
      { type: 'text/csv' },
    );
    fireEvent.change(screen.getByLabelText('CSV or JSON lines file'), { target: { files: [file] } });

    const webForm = (await screen.findByLabelText('“Web form” means')) as HTMLSelectElement;
    // People's words, not enum values; the first choice says what happens when none is chosen.
    expect([...webForm.options].map((o) => o.textContent)).toContain('The portal');
    expect(webForm.options[0].textContent).toBe('As Firebreak reads it (else Phone)');
    expect(screen.getByLabelText('“Walk-up” means')).toBeTruthy();
    const fixed = screen.getByLabelText('“Fixed remotely” means') as HTMLSelectElement;
    expect([...fixed.options].map((o) => o.textContent)).toContain('Solved remotely');

    fireEvent.change(webForm, { target: { value: 'portal' } });
    fireEvent.change(screen.getByLabelText('“Walk-up” means'), { target: { value: 'walk_in' } });
    fireEvent.change(fixed, { target: { value: 'solved_remotely' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check the file' }));

    await screen.findByRole('region', { name: 'What the import would do' });
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].pathname).toBe('/api/v1/imports/generic');
    const mapping = JSON.parse(sent[0].searchParams.get('mapping') ?? '{}');
    expect(mapping.columns).toMatchObject({ channel: 'via', resolutionCode: 'resolution' });
    expect(mapping.channels).toEqual({ 'web form': 'portal', 'walk-up': 'walk_in' });
    expect(mapping.resolutionCodes).toEqual({ 'fixed remotely': 'solved_remotely' });
  });
});

const RUN: ImportRunView = {
  id: '00000000-0000-4000-8000-000000000001',
  fileName: 'incidents.csv',
  bytes: 44_000_000,
  startedBy: { id: 'u1', name: 'Ada Admin' },
  startedAt: '2026-03-02T09:00:00.000Z',
  finishedAt: null,
  state: 'running',
  phase: 'writing',
  percent: 72,
  rows: 108_000,
  incidents: 18_000,
  report: null,
  error: null,
};

/** The server's answers: the latest runs, and each run by its id. */
function serve(runs: ImportRunView[]) {
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://firebreak.test');
    const body = url.pathname === '/api/v1/imports' ? { runs } : runs.find((r) => url.pathname.endsWith(r.id));
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('Admin › Import, after a reload', () => {
  it('shows the import still running, with its progress, instead of the form', async () => {
    serve([RUN]);
    render(<ImportAdmin />, { wrapper: withQueries(newQueryClient()) });
    const progress = await screen.findByRole('region', { name: 'Import progress' });
    expect(progress.textContent).toContain('Importing incidents.csv: 72%');
    expect(progress.textContent).toContain('108,000 rows, 18,000 incidents');
    expect(screen.queryByRole('button', { name: 'Check the file' })).toBeNull();
  });

  it('says that an import whose server stopped was interrupted and that importing the file again finishes it', async () => {
    serve([{ ...RUN, state: 'interrupted' }]);
    render(<ImportAdmin />, { wrapper: withQueries(newQueryClient()) });
    const progress = await screen.findByRole('region', { name: 'Import progress' });
    expect(progress.textContent).toContain('Interrupted: incidents.csv');
    expect(progress.textContent).toContain('import the same file again to finish the job');
    fireEvent.click(screen.getByRole('button', { name: 'Import another file' }));
    await screen.findByRole('button', { name: 'Check the file' });
  });
});
