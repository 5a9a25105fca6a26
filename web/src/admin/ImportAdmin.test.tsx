// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReportView } from '../../../core/contracts/imports';
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
      sent.push(new URL(String(input), 'http://firebreak.test'));
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
