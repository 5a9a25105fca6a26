// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_UPDATE_TEMPLATES } from '../../../../core/stakeholder-updates';
import type { TicketT } from '../../api/types';
import { newQueryClient, problem, stubApi, withQueries } from '../../testing/api-stub';
import { StakeholderUpdatesPanel } from './StakeholderUpdatesPanel';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const ticket = {
  id: '0b9c7e1e-0000-4000-8000-000000000015',
  number: 'INC0000015',
  kind: 'incident',
  state: 'in_progress',
  title: 'VPN down for every office',
  version: 3,
  majorSince: '2026-12-01T09:07:00Z',
} as unknown as TicketT;
const url = `/tickets/${ticket.id}`;

const composer = (updates: unknown[] = []) => ({
  templates: DEFAULT_UPDATE_TEMPLATES,
  variables: {
    service: 'VPN',
    incident_number: 'INC0000015',
    title: 'VPN down for every office',
    priority: 'P1',
    started_at: '09:07 UTC on 1 December 2026',
    next_update_at: '09:37 UTC on 1 December 2026',
  },
  audiences: [
    { id: 'public', name: 'Status page, affected requesters and followers', builtIn: true, proposed: true, recipientCount: 3 },
    { id: 'role_holders', name: 'Response role holders', builtIn: true, proposed: true, recipientCount: 2 },
    { id: '7e0c0000-0000-4000-8000-000000000001', name: 'Board', builtIn: false, proposed: false, recipientCount: 4 },
  ],
  cadence: { nextDueAt: '2026-12-01T09:37:00Z', lastUpdateAt: null, status: 'overdue' },
  evaluationPoint: updates.length ? null : { point: 'declared', label: 'The major incident was declared', at: '2026-12-01T09:07:00Z' },
  updates,
});

describe('stakeholder updates on an incident', () => {
  it('asks who needs to know, previews the filled-in template per channel, and sends what was ticked', async () => {
    let state = composer();
    const api = stubApi({
      [`GET ${url}/update-composer`]: () => ({ status: 200, body: state }),
      [`POST ${url}/stakeholder-updates`]: (request) => {
        const sent = {
          id: 9,
          at: '2026-12-01T09:12:00Z',
          actorId: 'u1',
          actorName: 'Cora Comms',
          stage: 'investigating',
          text: 'x',
          public: true,
          audiences: [{ id: 'public', name: 'Status page, affected requesters and followers' }],
          recipientCount: 3,
          publicUpdateId: 8,
          revision: 1,
          editedAt: null,
          history: [],
          ...(request.body as object),
        };
        state = composer([sent]);
        return { status: 201, body: sent };
      },
    });
    render(<StakeholderUpdatesPanel ticket={ticket} />, { wrapper: withQueries(newQueryClient()) });
    await screen.findByText('Who needs to know now?');
    expect(screen.getByTestId('update-due').textContent).toMatch(/^Update overdue/);
    fireEvent.click(screen.getByRole('button', { name: 'Write an update' }));

    expect(
      within(screen.getByTestId('preview-public')).getByText(/We are investigating a disruption of VPN that started at 09:07 UTC/),
    ).toBeTruthy();
    // Role holders were proposed; the e-mail preview names them and the subject.
    expect(screen.getByTestId('preview-email').textContent).toContain('Subject: [INC0000015] Investigating: VPN down for every office');
    fireEvent.click(screen.getByRole('checkbox', { name: /Response role holders/ }));
    expect(screen.queryByTestId('preview-email')).toBeNull();

    fireEvent.change(screen.getByLabelText('Update'), { target: { value: 'Still down, ETA {eta}' } });
    expect(screen.getByText(/is not a variable: \{eta\}/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Send update' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Update'), { target: { value: '{service} is still down. <b>Sorry</b>.' } });
    expect(within(screen.getByTestId('preview-public')).getByText('VPN is still down. <b>Sorry</b>.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Send update' }));
    await screen.findByText('Sent');
    expect(api.sent.find((r) => r.method === 'POST')?.body).toEqual({
      stage: 'investigating',
      text: '{service} is still down. <b>Sorry</b>.',
      audienceIds: ['public'],
    });
    expect(screen.queryByText('Who needs to know now?')).toBeNull();
  });

  it('corrects a sent public update against the revision read, without telling subscribers unless ticked, and keeps the earlier words readable', async () => {
    const sent = {
      id: 9,
      at: '2026-12-01T09:12:00Z',
      actorId: 'u1',
      actorName: 'Cora Comms',
      stage: 'investigating',
      text: 'The VPN is donw.',
      public: true,
      audiences: [{ id: 'public', name: 'Status page, affected requesters and followers' }],
      recipientCount: 3,
      publicUpdateId: 8,
      revision: 1,
      editedAt: null,
      history: [],
    };
    let state = composer([sent]);
    const api = stubApi({
      [`GET ${url}/update-composer`]: () => ({ status: 200, body: state }),
      [`PUT ${url}/public-updates/8`]: (request) => {
        const body = request.body as { text: string };
        const history = [
          { at: '2026-12-01T09:20:00Z', actorId: 'u2', actorName: 'Dan Desk', from: sent.text, to: body.text, notified: false },
        ];
        state = composer([{ ...sent, text: body.text, revision: 2, editedAt: '2026-12-01T09:20:00Z', history }]);
        return {
          status: 200,
          body: { id: 8, ticketId: ticket.id, at: sent.at, text: body.text, revision: 2, editedAt: history[0].at, history },
        };
      },
    });
    render(<StakeholderUpdatesPanel ticket={ticket} />, { wrapper: withQueries(newQueryClient()) });
    fireEvent.click(await screen.findByRole('button', { name: 'Correct the public text' }));
    fireEvent.change(screen.getByLabelText('Corrected text'), { target: { value: 'The VPN is down.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save correction' }));
    await screen.findByTestId('edited-mark');
    expect(api.sent.find((r) => r.method === 'PUT')?.body).toEqual({ text: 'The VPN is down.', revision: 1, notifySubscribers: false });
    expect(screen.getByText('The VPN is down.')).toBeTruthy();
    expect(screen.getByText('Earlier versions (1)')).toBeTruthy();
    expect(screen.getByText('The VPN is donw.')).toBeTruthy();
    expect(screen.getByText(/Dan Desk corrected it/)).toBeTruthy();
  });

  it('shows the server’s refusal by its field', async () => {
    stubApi({
      [`GET ${url}/update-composer`]: { status: 200, body: composer() },
      [`POST ${url}/stakeholder-updates`]: problem(400, [
        { field: 'audienceIds', message: 'tick at least one audience: an update sent to nobody is not an update' },
      ]),
    });
    render(<StakeholderUpdatesPanel ticket={ticket} />, { wrapper: withQueries(newQueryClient()) });
    fireEvent.click(await screen.findByRole('button', { name: 'Write an update' }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Status page/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Response role holders/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Send update' }));
    await screen.findByText('tick at least one audience: an update sent to nobody is not an update');
  });
});
