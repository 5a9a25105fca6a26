// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTicketAction } from '../../api/ticket-hooks';
import type { TicketT } from '../../api/types';
import { newQueryClient, stubApi, withQueries } from '../../testing/api-stub';
import { EscalateForm } from './EscalateForm';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const ticket = { id: '0b9c7e1e-0000-4000-8000-000000000002', number: 'INC0000043', state: 'in_progress', version: 3 } as TicketT;
const teams = [
  { id: '6f1c2a4e-3b5d-4c7e-9f80-1a2b3c4d5e61', name: 'Network' },
  { id: '6f1c2a4e-3b5d-4c7e-9f80-1a2b3c4d5e62', name: 'Database' },
];

function Harness({ onDone }: { onDone: () => void }) {
  const action = useTicketAction(ticket);
  return <EscalateForm ticket={ticket} action={action} baseVersion={3} onDone={onDone} />;
}

describe('the desk’s Escalate form', () => {
  it('picks the team by name from the kit’s one picker and sends its id with the reason', async () => {
    const api = stubApi({
      'GET /teams': { status: 200, body: { items: teams, nextCursor: null } },
      [`POST /tickets/${ticket.id}/escalations`]: { status: 200, body: { ...ticket, version: 4 } },
      [`GET /tickets/${ticket.id}`]: { status: 200, body: { ...ticket, version: 4 } },
      [`GET /tickets/${ticket.id}/timeline`]: { status: 200, body: { items: [], nextCursor: null } },
    });
    const onDone = vi.fn();
    render(<Harness onDone={onDone} />, { wrapper: withQueries(newQueryClient()) });
    await screen.findByRole('option', { name: 'Database' });
    const picker = screen.getByLabelText('To team') as HTMLSelectElement;
    expect([...picker.options].map((o) => o.textContent)).toEqual(['Choose a team', 'Network', 'Database']);
    fireEvent.change(picker, { target: { value: teams[1].id } });
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Needs a DBA' } });
    fireEvent.click(screen.getByRole('button', { name: 'Escalate' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    const sent = api.sent.find((r) => r.method === 'POST');
    expect(sent?.body).toEqual({ kind: 'functional', reason: 'Needs a DBA', toTeamId: teams[1].id });
    expect(sent?.headers['if-match']).toBe('"3"');
  });
});
