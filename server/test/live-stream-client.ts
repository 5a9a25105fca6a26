/** One server-sent event of `GET /api/v1/events`. */
export interface LiveEvent {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read event data loosely, asserting what they need
  data: any;
}

export interface LiveStreamClient {
  /** Every event received so far. */
  readonly events: LiveEvent[];
  /**
   * Resolves as soon as an event matching `match` has arrived (earlier ones count): the test
   * waits on the server's announcement, not on a timer. `ceilingMs` only bounds a wait for one
   * that never comes, and the error names what did come.
   */
  waitFor(match: (e: LiveEvent) => boolean, ceilingMs: number): Promise<LiveEvent>;
  close(): void;
}

/**
 * A browser's EventSource reduced to what tests need, against a running server. Returns once the
 * server said `ready`, so whatever happens afterwards is heard.
 */
export async function openLiveStream(baseUrl: string, headers: Record<string, string>): Promise<LiveStreamClient> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events`, { headers: { ...headers, accept: 'text/event-stream' }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`GET /api/v1/events answered ${res.status}: ${await res.text()}`);
  const events: LiveEvent[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as ReadableStream<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ? JSON.parse(data) : null });
        }
        wake();
      }
    } catch {
      // Aborted by close(), or the server went away: either way the stream has ended.
    }
    ended = true;
    wake();
  })();

  const client: LiveStreamClient = {
    events,
    async waitFor(match, ceilingMs) {
      const deadline = Date.now() + ceilingMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        const left = deadline - Date.now();
        if (ended || left <= 0) {
          throw new Error(`${ended ? 'the stream ended' : `no matching event within ${ceilingMs} ms`}; got ${JSON.stringify(events)}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close() {
      controller.abort();
    },
  };
  await client.waitFor((e) => e.event === 'ready', 30_000);
  return client;
}
