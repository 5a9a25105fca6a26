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
  /** Whether the stream has ended (the server closed it, or it went away). */
  readonly ended: boolean;
  /** Resolves as soon as the server ends the stream; `ceilingMs` bounds a wait for an end that never comes. */
  waitForEnd(ceilingMs: number): Promise<void>;
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
  if (!res.headers.get('content-type')?.includes('text/event-stream')) {
    throw new Error(`GET /api/v1/events answered ${res.headers.get('content-type')}, not text/event-stream`);
  }
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

  /** Wakes at each event (and at the end) until `done()`; the error names what did come. */
  async function until(done: () => boolean, ceilingMs: number, waitingForEnd = false): Promise<void> {
    const deadline = Date.now() + ceilingMs;
    for (;;) {
      if (done()) return;
      const left = deadline - Date.now();
      if ((ended && !waitingForEnd) || left <= 0) {
        const what = waitingForEnd ? 'the stream did not end' : ended ? 'the stream ended before a matching event' : 'no matching event';
        throw new Error(`${what} (waited up to ${ceilingMs} ms); got ${JSON.stringify(events)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  const client: LiveStreamClient = {
    events,
    async waitFor(match, ceilingMs) {
      let found: LiveEvent | undefined;
      await until(() => {
        found = events.find(match);
        return found !== undefined;
      }, ceilingMs);
      return found as LiveEvent;
    },
    get ended() {
      return ended;
    },
    async waitForEnd(ceilingMs) {
      await until(() => ended, ceilingMs, true);
    },
    close() {
      controller.abort();
    },
  };
  await client.waitFor((e) => e.event === 'ready', 30_000);
  return client;
}
