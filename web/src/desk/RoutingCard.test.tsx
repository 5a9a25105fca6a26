// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TicketT } from '../api/types';
import { newQueryClient, stubApi, withQueries } from '../testing/api-stub';
import { RoutingCard } from './RoutingCard';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const TICKET = '0b9c7e1e-0000-4000-8000-0000000000a1';
const ACCESS = '0b9c7e1e-0000-4000-8000-0000000000c1';
const IDENTITY = '0b9c7e1e-0000-4000-8000-0000000000d1';

describe('the learned router on a ticket page', () => {
  it('suggests a category for a ticket without one and sets it with one click', async () => {
    const ticket = {
      id: TICKET,
      kind: 'incident',
      state: 'assigned',
      version: 3,
      title: 'Account locked',
      description: 'mfa fails',
      service: null,
      category: null,
      team: { id: IDENTITY, name: 'Identity' },
      assignee: { id: '0b9c7e1e-0000-4000-8000-0000000000e1', name: 'Ana' },
    } as unknown as TicketT;
    const api = stubApi({
      'POST /routing/suggestions': {
        status: 200,
        body: {
          teams: [{ id: IDENTITY, name: 'Identity', confidence: 0.9 }],
          categories: [{ id: ACCESS, name: 'Identity & Access', confidence: 0.874 }],
        },
      },
      [`PATCH /tickets/${TICKET}`]: { status: 200, body: { ...ticket, version: 4, category: { id: ACCESS, name: 'Identity & Access' } } },
    });
    render(<RoutingCard ticket={ticket} />, { wrapper: withQueries(newQueryClient()) });
    const card = await screen.findByTestId('category-suggestion');
    expect(card.textContent).toContain('Identity & Access — 87% confident');
    // With a team and an assignee there is nothing else to suggest.
    expect(screen.queryByTestId('routing-suggestion')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Set category Identity & Access' }));
    await waitFor(() => expect(api.count('PATCH', `/tickets/${TICKET}`)).toBe(1));
    const patch = api.sent.find((r) => r.method === 'PATCH');
    expect(patch?.body).toEqual({ categoryId: ACCESS });
    expect(patch?.headers['if-match'] ?? patch?.headers['If-Match']).toContain('3');
  });
});
