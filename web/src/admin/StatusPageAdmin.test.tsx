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
