import {
  reachedSlaClock,
  type SlaTarget,
  type SlaTimerKind,
  slaEventTypeOf,
  slaNoteBody,
  type TicketSlaTarget,
} from '../../../core/sla-policy.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import { hasSlaEvent, listSlaEventsOfTickets, type SlaPolicyRow } from '../repositories/sla.repository.js';
import { lockTicket, lockTickets, type TicketRow } from '../repositories/tickets.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { applyEscalation } from './escalation.service.js';
import { slaOf, slaOfTickets } from './sla.service.js';
import { applyTicketChange } from './ticket-change.js';

export interface SlaTimer {
  ticketId: string;
  target: SlaTarget;
  kind: SlaTimerKind;
}

export type SlaTimerOutcome = 'recorded' | 'nothing_due';

/**
 * The timer: recomputes the clock and, if the warning or breach point has really been reached
 * and is not yet on the timeline, records it there (internal: for the desk). Idempotent.
 */
export async function checkSlaTimer(deps: ServiceDeps, timer: SlaTimer): Promise<SlaTimerOutcome> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, timer.ticketId);
    if (!ticket) return 'nothing_due';
    const now = deps.clock.now();
    const { policy, targets } = await slaOf(tx, ticket, now, undefined, deps.configCache);
    const clock = reachedSlaClock(targets, timer, now);
    if (!clock) return 'nothing_due';
    if (await hasSlaEvent(tx, ticket.id, slaEventTypeOf(timer.kind), clock.target, clock.policyId)) return 'nothing_due';
    await recordSlaTimer(tx, deps, ticket, policy, clock, timer.kind, now);
    return 'recorded';
  });
}

/**
 * A sweep's SLA timers at once (20,000 can fall due within half a minute after an outage or a
 * mass import): one transaction locks their tickets, reads their state changes and the warnings
 * and breaches already noted in one query each, and records each timer that is due through the
 * pipeline, as `checkSlaTimer` does — about one statement per warning and two per breach instead
 * of six or seven, and a stale timer costs only its share of the reads. Answers per timer, in
 * order: its outcome, or the error it failed with.
 *
 * A timer that fails rolls the whole transaction back; then each timer runs alone, so only the
 * failing one fails (and is retried alone) and none is recorded twice. A ticket's second timer in
 * the sweep also runs alone, after the others, so it sees what the first recorded.
 */
export async function checkSlaTimers(
  deps: ServiceDeps,
  timers: readonly SlaTimer[],
  /** Told why the sweep's shared transaction failed, before its timers are checked one by one. */
  onBatchFailed?: (error: Error, timers: number) => void,
): Promise<(SlaTimerOutcome | Error)[]> {
  const together: number[] = [];
  const after: number[] = [];
  const seen = new Set<string>();
  timers.forEach((timer, i) => {
    if (seen.has(timer.ticketId)) after.push(i);
    else {
      seen.add(timer.ticketId);
      together.push(i);
    }
  });
  const outcomes: (SlaTimerOutcome | Error)[] = new Array(timers.length);
  const alone = async (i: number) => {
    outcomes[i] = await checkSlaTimer(deps, timers[i]).catch(asError);
  };
  try {
    const recorded = await checkTogether(
      deps,
      together.map((i) => timers[i]),
    );
    together.forEach((i, n) => {
      outcomes[i] = recorded[n];
    });
  } catch (err) {
    try {
      onBatchFailed?.(asError(err), together.length);
    } catch {
      // Telling is best effort: a failing logger must not keep the timers from running alone.
    }
    await Promise.all(together.map(alone));
  }
  for (const i of after) await alone(i);
  return outcomes;
}

/** Timers of distinct tickets in one transaction; throws (nothing recorded) if any of them fails. */
async function checkTogether(deps: ServiceDeps, timers: readonly SlaTimer[]): Promise<SlaTimerOutcome[]> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const locked = await lockTickets(tx, [...new Set(timers.map((t) => t.ticketId))]);
    const tickets = new Map(locked.map((t) => [t.id, t]));
    const slas = await slaOfTickets(tx, [...tickets.values()], now, deps.configCache);
    const reached = timers.map((timer) => {
      const targets = slas.get(timer.ticketId)?.targets ?? [];
      return reachedSlaClock(targets, timer, now);
    });
    const noted = new Set(
      (
        await listSlaEventsOfTickets(
          tx,
          timers.filter((_, i) => reached[i]).map((t) => t.ticketId),
        )
      ).map((e) => `${e.ticketId} ${e.type} ${e.target} ${e.policyId}`),
    );
    const outcomes: SlaTimerOutcome[] = [];
    for (const [i, timer] of timers.entries()) {
      const clock = reached[i];
      const ticket = tickets.get(timer.ticketId);
      if (!clock || !ticket || noted.has(`${ticket.id} ${slaEventTypeOf(timer.kind)} ${clock.target} ${clock.policyId}`)) {
        outcomes.push('nothing_due');
        continue;
      }
      await recordSlaTimer(tx, deps, ticket, slas.get(ticket.id)?.policy ?? null, clock, timer.kind, now);
      outcomes.push('recorded');
    }
    return outcomes;
  });
}

/** The warning or breach on the timeline through the pipeline, and on breach the escalations the policy asks for. */
async function recordSlaTimer(
  tx: Tx,
  deps: ServiceDeps,
  ticket: TicketRow,
  policy: SlaPolicyRow | null,
  clock: TicketSlaTarget,
  kind: SlaTimerKind,
  now: Date,
): Promise<void> {
  const body = slaNoteBody(kind, clock);
  // A note: the clock's fields did not change (no new version); the desk hears of it.
  await applyTicketChange(tx, {
    before: ticket,
    patch: {},
    bumpsVersion: false,
    actor: null,
    at: now,
    configCache: deps.configCache,
    events: [
      {
        internal: true,
        type: slaEventTypeOf(kind),
        body,
        data: { target: clock.target, policyId: clock.policyId, dueAt: clock.dueAt?.toISOString() ?? null },
      },
    ],
  });
  // On breach: functional escalation to the next-tier team, and/or hierarchical escalation to
  // the team's manager or a named person, as the policy says; each is its own timeline entry.
  if (kind === 'breach' && OPEN_STATES.includes(ticket.state) && policy) {
    let current = ticket;
    if (policy.breachEscalateToTeamId && policy.breachEscalateToTeamId !== ticket.teamId) {
      current = await applyEscalation(
        tx,
        current,
        { kind: 'functional', toTeamId: policy.breachEscalateToTeamId, reason: `Automatic: ${body}` },
        null,
        now,
      );
    }
    if (policy.breachEscalateToUserId || policy.breachEscalateToManager) {
      // A named person who has left since falls back to the manager rather than failing the timer.
      const named = policy.breachEscalateToUserId ? await findUserById(tx, policy.breachEscalateToUserId) : undefined;
      await applyEscalation(
        tx,
        current,
        { kind: 'hierarchical', toUserId: named?.active ? named.id : undefined, reason: `Automatic: ${body}` },
        null,
        now,
      );
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
