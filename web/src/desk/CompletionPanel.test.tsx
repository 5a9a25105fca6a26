// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MeT, TicketT } from '../api/types';
import { newQueryClient, problem, stubApi, withQueries } from '../testing/api-stub';
import { CompletionPanel } from './CompletionPanel';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const agent = { id: 'u1', name: 'Dana Desk', role: 'agent', timeZone: 'Europe/London' } as MeT;
const admin = { ...agent, role: 'admin' } as MeT;
const ticket = {
  id: '0b9c7e1e-0000-4000-8000-000000000009',
  number: 'INC0000077',
  kind: 'incident',
  state: 'resolved',
  version: 7,
  majorSince: '2026-12-01T09:07:00Z',
} as unknown as TicketT;
const url = `/tickets/${ticket.id}`;

const item = (key: string, label: string, done: boolean, check = key) => ({ key, label, check, done, hint: `${label} is recorded` });
const completion = (done: { final?: boolean; customer?: boolean } = {}) => ({
  checklist: 'major_incident',
  items: [
    item('resolution_documented', 'Resolution documented', true),
    item('final_update_sent', 'Final update sent to stakeholders', done.final ?? false),
    item('customer_called', 'Key customers called', done.customer ?? false, 'manual'),
  ],
  complete: Boolean(done.final && done.customer),
  preventiveMeasures: [],
  reviewScheduledFor: null,
  finalUpdateAt: done.final ? '2026-12-01T10:40:00Z' : null,
});

describe('closing an incident properly, on its desk page', () => {
  it('shows what is missing, sends the final update and ticks a manual item, each read back from the server', async () => {
    let state = completion();
    const api = stubApi({
      [`GET ${url}/completion`]: () => ({ status: 200, body: state }),
      [`POST ${url}/final-update`]: () => {
        state = completion({ final: true });
        return { status: 200, body: state };
      },
      [`PUT ${url}/completion/items/customer_called`]: () => {
        state = completion({ final: true, customer: true });
        return { status: 200, body: state };
      },
    });
    render(<CompletionPanel ticket={ticket} me={agent} />, { wrapper: withQueries(newQueryClient()) });
    await screen.findByText('1 of 3 done. It cannot be closed until all are.');
    expect(screen.getByText('Done when Final update sent to stakeholders is recorded.')).toBeTruthy();
    // An agent cannot close without the checklist.
    expect(screen.queryByRole('button', { name: 'Close without it…' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Send the final update…' }));
    fireEvent.change(screen.getByLabelText('Final update'), { target: { value: 'VPN is back for everyone since 10:40.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByText('2 of 3 done. It cannot be closed until all are.');
    expect(api.sent.find((r) => r.method === 'POST')?.body).toEqual({ body: 'VPN is back for everyone since 10:40.' });

    fireEvent.click(screen.getByRole('checkbox', { name: 'Key customers called' }));
    await screen.findByText('Everything is done: the incident may be closed.');
    expect(api.sent.find((r) => r.method === 'PUT')?.body).toEqual({ ticked: true });
  });

  it('lets an admin close without it, giving a reason, and shows the server’s refusal by the field', async () => {
    const api = stubApi({
      [`GET ${url}/completion`]: { status: 200, body: completion() },
      [`POST ${url}/transitions`]: problem(400, [{ field: 'checklistOverrideReason', message: 'must not be empty' }]),
    });
    render(<CompletionPanel ticket={ticket} me={admin} />, { wrapper: withQueries(newQueryClient()) });
    fireEvent.click(await screen.findByRole('button', { name: 'Close without it…' }));
    fireEvent.change(screen.getByLabelText('Why close it without the checklist?'), { target: { value: ' ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Close the incident' }));
    await screen.findByText('must not be empty');
    await waitFor(() => expect(api.count('POST', `${url}/transitions`)).toBe(1));
    const sent = api.sent.find((r) => r.method === 'POST');
    expect(sent?.body).toEqual({ to: 'closed', checklistOverrideReason: ' ' });
    expect(sent?.headers['if-match']).toBe('"7"');
  });

  it('shows nothing for an incident without a checklist', async () => {
    const api = stubApi({
      [`GET ${url}/completion`]: { status: 200, body: { ...completion(), checklist: 'incident', items: [], complete: true } },
    });
    const { container } = render(<CompletionPanel ticket={{ ...ticket, majorSince: null }} me={agent} />, {
      wrapper: withQueries(newQueryClient()),
    });
    await waitFor(() => expect(api.count('GET', `${url}/completion`)).toBe(1));
    expect(container.textContent).toBe('');
  });
});
