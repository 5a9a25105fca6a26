// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadinessMark, useHoldReadiness } from './ReadinessMark';

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.ready;
});

const ready = () => document.documentElement.dataset.ready;

/** A query answered only when the test says so. */
function deferred() {
  let answer: (value: string) => void = () => {};
  const promise = new Promise<string>((resolve) => {
    answer = resolve;
  });
  return { promise, answer };
}

function Page({ data }: { data: Promise<string> }) {
  const query = useQuery({ queryKey: ['page'], queryFn: () => data });
  return <p>{query.data ?? 'Loading…'}</p>;
}

function Hold() {
  useHoldReadiness();
  return <p>Loading the page…</p>;
}

function app(children: React.ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ReadinessMark>{children}</ReadinessMark>
    </QueryClientProvider>,
  );
}

describe('the document readiness mark the browser tests wait for', () => {
  it('is not ready while a page’s query is out, and ready once its answer is drawn', async () => {
    const data = deferred();
    app(<Page data={data.promise} />);
    await waitFor(() => expect(ready()).toBe('false'));
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(ready()).toBe('false');
    data.answer('Three tickets');
    await screen.findByText('Three tickets');
    await waitFor(() => expect(ready()).toBe('true'));
  });

  it('is not ready while something holds it (a page’s code on its way), even with no query out', async () => {
    function Switch() {
      const [held, setHeld] = useState(true);
      return (
        <>
          <button type="button" onClick={() => setHeld(false)}>
            Loaded
          </button>
          {held ? <Hold /> : <p>The page</p>}
        </>
      );
    }
    app(<Switch />);
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(ready()).toBe('false');
    act(() => screen.getByRole('button', { name: 'Loaded' }).click());
    await screen.findByText('The page');
    await waitFor(() => expect(ready()).toBe('true'));
  });
});
