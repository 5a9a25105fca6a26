// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTicketAction } from '../../api/ticket-hooks';
import type { TicketT } from '../../api/types';
import { newQueryClient, problem, stubApi, withQueries } from '../../testing/api-stub';
import { ResolveForm } from './ResolveForm';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const ticket = {
  id: '0b9c7e1e-0000-4000-8000-000000000001',
  number: 'INC0000042',
  state: 'in_progress',
  version: 7,
} as TicketT;

/** The form as the desk ticket shows it: with the page's one ticket write, opened at version 5. */
function Harness({ onDone }: { onDone: () => void }) {
  const action = useTicketAction(ticket);
  return <ResolveForm ticket={ticket} action={action} baseVersion={5} onDone={onDone} />;
}

function fillAndSubmit() {
  fireEvent.change(screen.getByLabelText('Resolution'), { target: { value: 'solved_workaround' } });
  fireEvent.change(screen.getByLabelText('What was done'), { target: { value: 'Restarted the print spooler.' } });
  fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
}

describe('the desk’s Resolve form', () => {
  it('resolves against the version the agent saw when opening it, and closes', async () => {
    const api = stubApi({
      [`POST /tickets/${ticket.id}/transitions`]: { status: 200, body: { ...ticket, state: 'resolved', version: 8 } },
      [`GET /tickets/${ticket.id}`]: { status: 200, body: { ...ticket, state: 'resolved', version: 8 } },
      [`GET /tickets/${ticket.id}/timeline`]: { status: 200, body: { items: [], nextCursor: null } },
    });
    const onDone = vi.fn();
    render(<Harness onDone={onDone} />, { wrapper: withQueries(newQueryClient()) });
    fillAndSubmit();
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    const [sent] = api.sent;
    expect(sent.headers['if-match']).toBe('"5"');
    expect(sent.body).toEqual({ to: 'resolved', resolutionCode: 'solved_workaround', resolutionNotes: 'Restarted the print spooler.' });
  });

  it('shows the server’s message next to the field it named, and stays open', async () => {
    stubApi({
      [`POST /tickets/${ticket.id}/transitions`]: problem(400, [{ field: 'resolutionNotes', message: 'must say what was done' }]),
    });
    const onDone = vi.fn();
    render(<Harness onDone={onDone} />, { wrapper: withQueries(newQueryClient()) });
    fillAndSubmit();
    const notes = screen.getByLabelText('What was done');
    await waitFor(() => expect(notes.getAttribute('aria-invalid')).toBe('true'));
    const described = (notes.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('must say what was done');
    // The other field is not blamed.
    expect(screen.getByLabelText('Resolution').getAttribute('aria-invalid')).toBeNull();
    expect(onDone).not.toHaveBeenCalled();
  });
});
