import {
  mayHear,
  mayHearStorm,
  parseAnnouncement,
  parsePersonAnnouncement,
  parseRefreshAnnouncement,
  parseStatusPageAnnouncement,
  parseStormAnnouncement,
  type StatusPageAnnouncement,
  type StormAnnouncement,
  type TicketAnnouncement,
} from '../../../core/live-events.js';
import type { Actor } from '../../../core/permissions.js';

export type HubMessage =
  | { kind: 'ticket'; event: TicketAnnouncement }
  | { kind: 'storm'; event: StormAnnouncement }
  | { kind: 'resync' }
  /** The process is stopping: reconnect after `retryMs` (to another process, or this one restarted). */
  | { kind: 'closing'; retryMs: number };

/** Why the public status page may have changed: a ticket's timeline grew, another of its tables changed, or news was missed. */
export type StatusPageNews = TicketAnnouncement | StatusPageAnnouncement | { topic: 'resync' };

interface Subscriber {
  actor: Actor;
  send(message: HubMessage): void;
  close(): void;
}

/**
 * Fans the database's announcements out to the browsers connected to this process, each
 * hearing only what its person may see. Every process has its own hub; the database's
 * NOTIFY reaches all of them.
 */
export class EventHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly closeHandlers = new Set<() => void>();
  /** This process's public status page: recomputed when what it shows may have changed. */
  private readonly statusPageWatchers = new Set<(news: StatusPageNews) => void>();

  private log: (msg: string, detail?: Record<string, unknown>) => void = () => {};

  setLog(log: (msg: string, detail?: Record<string, unknown>) => void): void {
    this.log = log;
  }

  /** Called with each raw NOTIFY payload. */
  announce(payload: string): void {
    const person = parsePersonAnnouncement(payload);
    if (person) {
      this.closeStreamsOf(person.userId);
      return;
    }
    // Withheld announcements (an import): everyone re-reads, as after a lost connection.
    if (parseRefreshAnnouncement(payload)) {
      this.resync();
      return;
    }
    const statusPage = parseStatusPageAnnouncement(payload);
    if (statusPage) {
      this.statusPageMayHaveChanged(statusPage);
      return;
    }
    const storm = parseStormAnnouncement(payload);
    if (storm) {
      for (const s of this.subscribers) if (mayHearStorm(s.actor)) s.send({ kind: 'storm', event: storm });
      return;
    }
    const event = parseAnnouncement(payload);
    if (!event) {
      this.log('ignored a malformed live announcement', { payload: payload.slice(0, 200) });
      return;
    }
    // Any ticket change, internal ones too: the page shows a ticket's title, state and service.
    this.statusPageMayHaveChanged(event);
    for (const s of this.subscribers) if (mayHear(s.actor, event)) s.send({ kind: 'ticket', event });
  }

  /** The listener missed announcements (connection lost): everyone must re-read. */
  resync(): void {
    this.statusPageMayHaveChanged({ topic: 'resync' });
    for (const s of this.subscribers) s.send({ kind: 'resync' });
  }

  /**
   * Calls `watcher` whenever what the public status page shows may have changed: a ticket's
   * timeline grew, another table the page reads changed (migration 0080), or announcements were
   * missed. Returns the way to stop.
   */
  watchStatusPage(watcher: (news: StatusPageNews) => void): () => void {
    this.statusPageWatchers.add(watcher);
    return () => this.statusPageWatchers.delete(watcher);
  }

  private statusPageMayHaveChanged(news: StatusPageNews): void {
    for (const watcher of this.statusPageWatchers) watcher(news);
  }

  /**
   * A person's role or standing changed: their streams carry the role they connected with, so
   * each is told to re-read and closed. The browser reconnects and is authorised afresh, with
   * the current role (or refused, if deactivated).
   */
  closeStreamsOf(userId: string): void {
    for (const s of [...this.subscribers]) {
      if (s.actor.id !== userId) continue;
      s.send({ kind: 'resync' });
      s.close();
    }
  }

  subscribe(actor: Actor, send: (message: HubMessage) => void, onClose: () => void): () => void {
    const subscriber = { actor, send, close: onClose };
    this.subscribers.add(subscriber);
    this.closeHandlers.add(onClose);
    return () => {
      this.subscribers.delete(subscriber);
      this.closeHandlers.delete(onClose);
    };
  }

  /** How many streams this person has open on this process. */
  streamsOf(actorId: string): number {
    let n = 0;
    for (const s of this.subscribers) if (s.actor.id === actorId) n++;
    return n;
  }

  get size(): number {
    return this.subscribers.size;
  }

  /**
   * Ends every open stream, so that the server can stop without waiting for browsers. With
   * `retryMs`, each stream is first told when to reconnect (SSE's `retry:`).
   */
  closeAll(options: { retryMs?: number } = {}): void {
    if (options.retryMs !== undefined) for (const s of this.subscribers) s.send({ kind: 'closing', retryMs: options.retryMs });
    for (const close of [...this.closeHandlers]) close();
    this.subscribers.clear();
    this.closeHandlers.clear();
  }
}
