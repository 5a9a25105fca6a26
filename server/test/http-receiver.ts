import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on loopback that records what it is sent and answers as told. */
export interface HttpReceiver {
  url: string;
  received: { headers: IncomingHttpHeaders; body: string; status: number }[];
  /** Statuses to answer with, in order; 200 once they run out. */
  answers: number[];
  stop(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const receiver: Omit<HttpReceiver, 'url' | 'stop'> = { received: [], answers: [] };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = receiver.answers.shift() ?? 200;
      receiver.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ...receiver,
    get received() {
      return receiver.received;
    },
    get answers() {
      return receiver.answers;
    },
    set answers(value: number[]) {
      receiver.answers = value;
    },
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
