// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { newQueryClient, problem, stubApi, withQueries } from '../testing/api-stub';
import { StormDetectionAdmin } from './StormDetectionAdmin';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const VPN = '0b9c7e1e-0000-4000-8000-000000000001';
const MAIL = '0b9c7e1e-0000-4000-8000-000000000002';

describe('Admin › Storm detection', () => {
  it('shows the server’s refusal beside the field, says so in words for an empty box, and saves good numbers', async () => {
    let settings = { windowMinutes: 10, threshold: 5, similarity: 0.3 };
    const api = stubApi({
      'GET /settings/storm-detection': () => ({ status: 200, body: settings }),
      'GET /settings/storm-policies': { status: 200, body: { items: [] } },
      'PUT /settings/storm-detection': (req) => {
        const body = req.body as typeof settings;
        if (body.threshold < 2) return problem(400, [{ field: 'threshold', message: 'must be at least 2 (one report is not a storm)' }]);
        settings = body;
        return { status: 200, body };
      },
    });
    render(<StormDetectionAdmin />, { wrapper: withQueries(newQueryClient()) });
    const threshold = await screen.findByLabelText('Reports and alerts that make a storm');
    expect((threshold as HTMLInputElement).value).toBe('5');

    fireEvent.change(threshold, { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save storm detection' }));
    await screen.findByText('must be at least 2 (one report is not a storm)');
    expect(settings.threshold).toBe(5);

    fireEvent.change(screen.getByLabelText('Within (minutes)'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save storm detection' }));
    await screen.findByText('Enter a number');
    expect(api.sent.filter((r) => r.method === 'PUT')).toHaveLength(1); // nothing sent for the empty box

    fireEvent.change(threshold, { target: { value: '12' } });
    fireEvent.change(screen.getByLabelText('Within (minutes)'), { target: { value: '15' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save storm detection' }));
    await screen.findByText('Saved. Storms are counted this way from now on.');
    expect(settings).toEqual({ windowMinutes: 15, threshold: 12, similarity: 0.3 });
  });

  it('lists every service with its policy and turns declaring by policy on for one', async () => {
    const items = [
      { serviceId: MAIL, serviceName: 'E-mail', declareByPolicy: false },
      { serviceId: VPN, serviceName: 'VPN', declareByPolicy: false },
    ];
    const api = stubApi({
      'GET /settings/storm-detection': { status: 200, body: { windowMinutes: 10, threshold: 5, similarity: 0.3 } },
      'GET /settings/storm-policies': () => ({ status: 200, body: { items } }),
      [`PUT /services/${VPN}/storm-policy`]: (req) => {
        items[1].declareByPolicy = (req.body as { declareByPolicy: boolean }).declareByPolicy;
        return { status: 200, body: { serviceId: VPN, declareByPolicy: items[1].declareByPolicy } };
      },
    });
    render(<StormDetectionAdmin />, { wrapper: withQueries(newQueryClient()) });
    const vpn = await screen.findByRole('checkbox', { name: 'VPN' });
    expect(screen.getByText(/a storm of 5 reports and alerts within 10 minutes declares a major incident at once/)).toBeTruthy();
    fireEvent.click(vpn);
    await waitFor(() => expect((screen.getByRole('checkbox', { name: 'VPN' }) as HTMLInputElement).checked).toBe(true));
    expect(api.sent.find((r) => r.method === 'PUT')?.body).toEqual({ declareByPolicy: true });
    expect((screen.getByRole('checkbox', { name: 'E-mail' }) as HTMLInputElement).checked).toBe(false);
  });
});
