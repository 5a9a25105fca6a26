// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { newQueryClient, problem, stubApi, withQueries } from '../testing/api-stub';
import { StatusPageAdmin } from './StatusPageAdmin';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

describe('Admin › Status page', () => {
  it('uploads the chosen image as base64 and shows it with the organisation’s name as its text', async () => {
    let logo: unknown = null;
    const api = stubApi({
      'GET /status-page/settings': { status: 200, body: { name: 'Acme IT' } },
      'GET /status-page/logo': () => ({ status: 200, body: { logo } }),
      'PUT /status-page/logo': () => {
        logo = { mediaType: 'image/png', sha256: 'ab'.repeat(32), size: 4, url: '/status/logo?v=abababababababab' };
        return { status: 200, body: logo };
      },
    });
    render(<StatusPageAdmin />, { wrapper: withQueries(newQueryClient()) });
    await screen.findByText('No logo: the page shows the name.');
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'logo.png', { type: 'image/png' });
    fireEvent.change(screen.getByLabelText('Upload a logo'), { target: { files: [file] } });
    const img = await screen.findByRole('img', { name: 'Acme IT' });
    expect(img.getAttribute('src')).toBe('/status/logo?v=abababababababab');
    expect(api.sent.find((r) => r.method === 'PUT')?.body).toEqual({ image: 'iVBORw==' });
  });

  it('saves the name and the wait before the automatic first notice, and says what is wrong with a wait it refused', async () => {
    const api = stubApi({
      'GET /status-page/settings': { status: 200, body: { name: 'Acme IT', firstNoticeDelayMinutes: 5 } },
      'GET /status-page/logo': { status: 200, body: { logo: null } },
      'PUT /status-page/settings': (req) =>
        (req.body as { firstNoticeDelayMinutes: number }).firstNoticeDelayMinutes > 60
          ? problem(400, [{ field: 'firstNoticeDelayMinutes', message: 'must be at most 60 minutes' }])
          : { status: 200, body: req.body },
    });
    render(<StatusPageAdmin />, { wrapper: withQueries(newQueryClient()) });
    const wait = (await screen.findByLabelText('Minutes before the automatic first notice')) as HTMLInputElement;
    expect(wait.value).toBe('5');
    fireEvent.change(wait, { target: { value: '90' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('must be at most 60 minutes');
    fireEvent.change(wait, { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(api.sent.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([
      { name: 'Acme IT', firstNoticeDelayMinutes: 90 },
      { name: 'Acme IT', firstNoticeDelayMinutes: 10 },
    ]);
  });

  it('says why an image was refused, by its field', async () => {
    stubApi({
      'GET /status-page/settings': { status: 200, body: { name: 'Acme IT' } },
      'GET /status-page/logo': { status: 200, body: { logo: null } },
      'PUT /status-page/logo': problem(400, [
        { field: 'image', message: 'SVG is not accepted (it can carry script); upload the logo as PNG, JPEG or WebP' },
      ]),
    });
    render(<StatusPageAdmin />, { wrapper: withQueries(newQueryClient()) });
    await screen.findByText('No logo: the page shows the name.');
    const file = new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'logo.svg', { type: 'image/svg+xml' });
    fireEvent.change(screen.getByLabelText('Upload a logo'), { target: { files: [file] } });
    await screen.findByText(/SVG is not accepted/);
  });
});
