// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useTicket } from '../api/hooks';
import type { MeT, TicketT } from '../api/types';
import { newQueryClient, problem, stubApi, withQueries } from '../testing/api-stub';
import { TicketWork } from './TicketWork';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const me = { id: 'u1', name: 'Dana Desk', role: 'agent' } as MeT;
const ticket = {
  id: '0b9c7e1e-0000-4000-8000-000000000002',
  number: 'INC0000043',
  kind: 'incident',
  state: 'assigned',
  version: 4,
  priority: 3,
  assignee: { id: 'u1', name: 'Dana Desk' },
  allowedMoves: ['in_progress', 'on_hold', 'cancelled'],
  pageHeldSince: null,
} as unknown as TicketT;

/** As the desk ticket page holds it: the ticket as last read, and its actions. */
function Page() {
  const read = useTicket(ticket.id);
  return read.data ? <TicketWork ticket={read.data} me={me} /> : null;
}

describe('the desk ticket’s actions', () => {
  it('says once that someone else changed the ticket, and after "Reload it" sends against the version read', async () => {
    let version = 4;
    let served = 4;
    const api = stubApi({
      [`POST /tickets/${ticket.id}/transitions`]: (req) =>
        req.headers['if-match'] === `"${version}"`
          ? { status: 200, body: { ...ticket, state: 'in_progress', version: version + 1 } }
          : problem(412, [], 'Sam Support changed this ticket a minute ago.'),
      [`GET /tickets/${ticket.id}`]: () => ({ status: 200, body: { ...ticket, version: served } }),
      [`GET /tickets/${ticket.id}/timeline`]: { status: 200, body: { items: [], nextCursor: null } },
    });
    render(<Page />, { wrapper: withQueries(newQueryClient()) });
    const start = await screen.findByRole('button', { name: 'Start work' });
    version = 5; // a colleague saved after the page was read
    served = 5;
    fireEvent.click(start);
    await screen.findByText('Someone else changed this ticket');
    expect(screen.getAllByText(/Sam Support changed this ticket a minute ago\./)).toHaveLength(1);
    // Not also shown as a plain error banner.
    expect(screen.getAllByRole('alert')).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: 'Reload it' }));
    await waitFor(() => expect(screen.queryByText('Someone else changed this ticket')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Start work' }));
    await waitFor(() => expect(api.count('POST', `/tickets/${ticket.id}/transitions`)).toBe(2));
    const [first, second] = api.sent.filter((r) => r.method === 'POST');
    expect([first.headers['if-match'], second.headers['if-match']]).toEqual(['"4"', '"5"']);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('offers Escalate and Page on-call on an incident, never on a change (planned work with its own approval)', async () => {
    const change = { ...ticket, id: '0b9c7e1e-0000-4000-8000-000000000003', number: 'CHG0000001', kind: 'change', allowedMoves: [] };
    stubApi({
      [`GET /tickets/${ticket.id}`]: { status: 200, body: ticket },
      [`GET /tickets/${change.id}`]: { status: 200, body: change },
    });
    const incidentView = render(<TicketWork ticket={ticket} me={me} />, { wrapper: withQueries(newQueryClient()) });
    await screen.findByRole('button', { name: 'Escalate…' });
    expect(screen.getByRole('button', { name: 'Page on-call…' })).toBeTruthy();
    incidentView.unmount();

    render(<TicketWork ticket={change as unknown as TicketT} me={me} />, { wrapper: withQueries(newQueryClient()) });
    await screen.findByRole('button', { name: 'Edit fields…' });
    expect(screen.queryByRole('button', { name: 'Escalate…' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Page on-call…' })).toBeNull();
  });
});
