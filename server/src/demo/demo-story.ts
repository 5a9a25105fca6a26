import type { Actor } from '../../../core/permissions.js';
import type { FakeClock } from '../adapters/clock.js';
import type { TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from '../services/deps.js';
import { addComment } from '../services/ticket-conversation.service.js';
import { type ReportTicketInput, reportTicket } from '../services/ticket-intake.service.js';
import { transitionTicket, type UpdateTicketInput, updateTicket } from '../services/ticket-work.service.js';
import { intoWorkingHours, MINUTE, type Random } from './demo-random.js';

/**
 * A ticket's story is a list of actions with gaps between them. Stories are planned up front
 * (so every random choice is made in a fixed order) and then played back interleaved, in time
 * order, against the real services with the clock set to each action's moment: the timeline
 * reads as a month of work and the database's own ordering agrees with it.
 */

/** The ticket as the latest service call returned it; filled in when the story plays. */
export interface TicketRef {
  ticket?: TicketRow;
}

type TransitionInput = Parameters<typeof transitionTicket>[3];

export type Action = (deps: ServiceDeps) => Promise<void>;

/** Who acts decides whose working hours the moment falls in. */
export type Who = 'staff' | 'requester' | 'anyone';

interface PlannedAction {
  gapMinutes: [number, number];
  who: Who;
  run: Action;
}

export function idOf(ref: TicketRef): string {
  if (!ref.ticket) throw new Error('demo story acts on a ticket before reporting it');
  return ref.ticket.id;
}

export class Story {
  readonly ref: TicketRef = {};
  private readonly actions: PlannedAction[] = [];

  get length(): number {
    return this.actions.length;
  }

  step(gapMinutes: [number, number], who: Who, run: Action): this {
    this.actions.push({ gapMinutes, who, run });
    return this;
  }

  report(actor: Actor, input: ReportTicketInput, gap: [number, number] = [0, 0]): this {
    return this.step(gap, actor.role === 'requester' ? 'requester' : 'staff', async (deps) => {
      const { ticket } = await reportTicket(deps, actor, input, { defaultChannel: 'portal' });
      this.ref.ticket = ticket;
    });
  }

  update(gap: [number, number], actor: Actor, input: UpdateTicketInput | (() => UpdateTicketInput)): this {
    return this.step(gap, 'staff', async (deps) => {
      this.ref.ticket = await updateTicket(deps, actor, idOf(this.ref), typeof input === 'function' ? input() : input);
    });
  }

  move(gap: [number, number], actor: Actor, request: TransitionInput | (() => TransitionInput)): this {
    return this.step(gap, actor.role === 'requester' ? 'requester' : 'staff', async (deps) => {
      this.ref.ticket = await transitionTicket(deps, actor, idOf(this.ref), typeof request === 'function' ? request() : request);
    });
  }

  say(gap: [number, number], actor: Actor, body: string | (() => string), visibility: 'public' | 'internal' = 'public'): this {
    return this.step(gap, actor.role === 'requester' ? 'requester' : 'staff', async (deps) => {
      await addComment(deps, actor, idOf(this.ref), { body: typeof body === 'function' ? body() : body, visibility });
    });
  }

  note(gap: [number, number], actor: Actor, body: string | (() => string)): this {
    return this.say(gap, actor, body, 'internal');
  }

  /**
   * Gives every action a moment: gaps drawn now, nudged into working hours (the requester's
   * site for requesters, European office hours for staff, unless the ticket is urgent enough to
   * be worked around the clock), then squeezed proportionally if the story would run past `limit`.
   */
  schedule(
    agenda: Agenda,
    start: number,
    options: { limit: number; random: Random; requesterOffset: number; roundTheClock: boolean },
  ): void {
    const { limit, random } = options;
    const times: number[] = [];
    let at = start;
    for (const [index, action] of this.actions.entries()) {
      if (index > 0) {
        at += random.between(action.gapMinutes[0], action.gapMinutes[1]) * MINUTE;
        if (!options.roundTheClock && action.who !== 'anyone') {
          at = intoWorkingHours(at, action.who === 'requester' ? options.requesterOffset : 0, random);
        }
      }
      times.push(at);
    }
    const last = times[times.length - 1];
    if (last > limit && last > start) {
      const factor = Math.max(0, limit - start) / (last - start);
      for (let i = 0; i < times.length; i++) times[i] = start + (times[i] - start) * factor;
    }
    for (const [index, action] of this.actions.entries()) agenda.add(Math.min(times[index], limit), action.run);
  }
}

export class Agenda {
  private readonly steps: { at: number; order: number; run: Action }[] = [];

  get size(): number {
    return this.steps.length;
  }

  add(at: number, run: Action): void {
    this.steps.push({ at: Math.round(at), order: this.steps.length, run });
  }

  /** Plays every action in time order, never letting the clock go backwards or past `limit`. */
  async play(deps: ServiceDeps & { clock: FakeClock }, limit: number): Promise<void> {
    const ordered = [...this.steps].sort((a, b) => a.at - b.at || a.order - b.order);
    for (const step of ordered) {
      const at = Math.min(Math.max(step.at, deps.clock.now().getTime()), limit);
      deps.clock.set(new Date(at));
      await step.run(deps);
    }
  }
}

/** Gaps in minutes, named for what they are in a desk's day. */
export const GAP = {
  immediately: [0, 2],
  minutes: [3, 25],
  withinHour: [10, 60],
  hours: [45, 4 * 60],
  halfDay: [2 * 60, 8 * 60],
  day: [8 * 60, 30 * 60],
  days: [24 * 60, 3 * 24 * 60],
  vendor: [20 * 60, 4 * 24 * 60],
} satisfies Record<string, [number, number]>;
