/** What the primary and its workers say to each other over the cluster's IPC channel. */
export type WorkerMessage =
  /** Sent first, once the worker listens for the answer (a message sent before that would be lost). */
  | { type: 'firebreak:hello' }
  /** The worker serves; `lines` are what a single process prints when it is ready. */
  | { type: 'firebreak:ready'; lines: string[] };

/** The primary's answer to hello: which slot (1…N) the worker fills; a slot keeps its number across restarts. */
export type PrimaryMessage = { type: 'firebreak:slot'; slot: number };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && String((value as { type?: unknown }).type).startsWith('firebreak:');
}
