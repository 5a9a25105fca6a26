import { type Actor, canPickService } from '../../../core/permissions.js';
import { type Channel, type Level, OPEN_STATES, type TicketState } from '../../../core/vocabulary.js';
import type { UserRow } from '../repositories/users.repository.js';
import type { ReportTicketInput } from '../services/ticket-intake.service.js';
import type { DemoCatalog } from './demo-catalog.js';
import { firstNameOf, SITES } from './demo-people.js';
import { DAY, fill, HOUR, intoWorkingHours, type Random } from './demo-random.js';
import { type Agenda, GAP, Story } from './demo-story.js';
import {
  ACKNOWLEDGEMENTS,
  CANCEL_REASONS,
  CLOSING_WITHOUT_REPLY,
  ESCALATION_NOTES,
  LOWER_REASONS,
  RAISE_REASONS,
  REOPEN_REASONS,
  REQUEST_ROUTING_NOTES,
  REQUESTER_FOLLOW_UPS,
  SECOND_FIXES,
  THANKS,
  type TicketText,
} from './demo-texts.js';
import { DISTURBANCE_TEXTS } from './demo-texts-disturbances.js';
import { INFRASTRUCTURE_INCIDENTS } from './demo-texts-incidents.js';
import { APPLICATION_INCIDENTS } from './demo-texts-incidents-apps.js';
import { WORKPLACE_INCIDENTS } from './demo-texts-incidents-workplace.js';
import { REQUEST_TEXTS } from './demo-texts-requests.js';

/** Where the desk stands today: most work is done, a healthy queue is still open. */
export const STATE_MIX: [TicketState, number][] = [
  ['new', 24],
  ['assigned', 28],
  ['in_progress', 40],
  ['on_hold', 30],
  ['resolved', 36],
  ['closed', 116],
  ['cancelled', 20],
];

/** How long ago a ticket that is now in this state was reported, in hours. */
const AGE_HOURS: Record<TicketState, [number, number]> = {
  new: [0.2, 20],
  assigned: [1, 72],
  in_progress: [3, 8 * 24],
  on_hold: [24, 14 * 24],
  resolved: [20, 6 * 24],
  closed: [5 * 24, 29.5 * 24],
  cancelled: [2, 29 * 24],
};

const ROOMS: Record<string, string[]> = {
  London: ['Thames (VC)', 'Tower Bridge', 'Southbank (VC)'],
  Manchester: ['Pennine (VC)', 'Irwell'],
  Hamburg: ['Elbe (VC)', 'Alster', 'Speicherstadt'],
  Chicago: ['Michigan (VC)', 'Wacker', 'Lakeshore (VC)'],
  Singapore: ['Merlion (VC)', 'Marina'],
};

export interface PlanContext {
  catalog: DemoCatalog;
  /** Decides what happens: who, what, which outcome. */
  random: Random;
  /**
   * Decides when. Apart from `random` because how many draws timing needs depends on the hour
   * the demo is loaded at; sharing one stream would make the stories depend on it too.
   */
  timing: Random;
  agenda: Agenda;
  /** The latest moment any action may happen at: just before the real now. */
  limit: number;
}

/** Plans `STATE_MIX` tickets, drawing texts from a shuffled deck so every kind of ticket appears. */
export function planTickets(ctx: PlanContext): Story[] {
  const states = ctx.random.shuffle(STATE_MIX.flatMap(([state, count]) => Array<TicketState>(count).fill(state)));
  const all = [...INFRASTRUCTURE_INCIDENTS, ...WORKPLACE_INCIDENTS, ...APPLICATION_INCIDENTS, ...REQUEST_TEXTS, ...DISTURBANCE_TEXTS];
  let deck: TicketText[] = [];
  return states.map((state) => {
    if (deck.length === 0) deck = ctx.random.shuffle(all);
    return planTicket(ctx, deck.pop() as TicketText, state);
  });
}

function planTicket(ctx: PlanContext, text: TicketText, state: TicketState): Story {
  const { catalog, random } = ctx;
  const fixer = catalog.teams[text.team];
  const routedKey = catalog.routedTeam.get(text.category);
  if (!routedKey) throw new Error(`demo text "${text.title}" uses an unknown category ${text.category}`);
  const routed = catalog.teams[routedKey];
  const desk = catalog.teams.desk;
  const deskAgent = random.pick(desk.agents);

  const alert = text.alert === true;
  const from = alert ? undefined : random.pick(catalog.requesters.filter((r) => !text.sites || text.sites.includes(r.site.name)));
  // Monitoring reports carry no person: an on-call engineer of the owning team stands in.
  const requester: UserRow = from?.user ?? random.pick(fixer.agents);
  const person: UserRow | undefined = from?.user;
  const site = from?.site ?? random.pick(SITES);
  const channel: Channel = alert
    ? 'alert'
    : random.weighted<Channel>([
        ['portal', 45],
        ['email', 25],
        ['phone', 20],
        ['chat', 10],
      ]);
  // Only staff record a disturbance (a requester may report incidents and service requests only):
  // a person's odd report of one is logged by the desk on their behalf.
  const reporter: Actor = alert
    ? requester
    : channel === 'phone' || channel === 'chat' || text.kind === 'disturbance'
      ? deskAgent
      : requester;

  // How far the work got before it was cancelled, if it was.
  const reach: TicketState =
    state === 'cancelled'
      ? random.weighted<TicketState>([
          ['new', 50],
          ['assigned', 25],
          ['in_progress', 25],
        ])
      : state;
  // The desk fixes its own tickets on the call itself when it can.
  const takenOnTheCall = reporter === deskAgent && text.team === 'desk' && reach !== 'new';
  const assignee = takenOnTheCall ? deskAgent : random.chance(0.15) ? fixer.manager : random.pick(fixer.agents);

  const values = {
    first: firstNameOf(requester.name),
    site: site.name,
    asset: `LT-${random.int(10200, 48999)}`,
    room: random.pick(ROOMS[site.name]),
    agent: firstNameOf(assignee.name),
    team: fixer.team.name,
  };
  const t = (template: string) => fill(template, values);
  const [parentName] = text.category.split('/');
  // People rate their own urgency: some more pressing than the catalogue would, a few less.
  const urgency = Math.min(
    3,
    Math.max(
      1,
      text.urgency +
        random.weighted([
          [-1, 25],
          [0, 65],
          [1, 10],
        ]),
    ),
  ) as Level;
  const urgent = text.kind === 'incident' && text.impact + urgency <= 3;

  const input: ReportTicketInput = {
    kind: text.kind,
    title: t(text.title),
    description: t(text.description),
    requesterId: requester.id,
    channel,
    serviceId: serviceNamedBy(catalog, reporter, text.service),
    categoryId: catalog.categories.get(parentName)?.id ?? null,
    subcategoryId: catalog.categories.get(text.category)?.id ?? null,
    impact: text.impact,
    urgency,
    scope: 'local',
    assigneeId: takenOnTheCall ? assignee.id : null,
  };

  const story = new Story().report(reporter, input);
  const pickUp: [number, number] = urgent || alert ? [3, 30] : [10, 180];

  if (reach === 'new') {
    if (person && random.chance(0.3)) story.say(GAP.hours, person, random.pick(REQUESTER_FOLLOW_UPS));
  } else {
    if (!takenOnTheCall) {
      if (routedKey !== text.team) {
        const escalator = routedKey === 'desk' ? deskAgent : random.pick(routed.agents);
        story.note(pickUp, escalator, t(random.pick(text.kind === 'incident' ? ESCALATION_NOTES : REQUEST_ROUTING_NOTES)));
        story.update(GAP.immediately, escalator, { teamId: fixer.team.id, assigneeId: assignee.id });
      } else {
        // Sometimes the manager dispatches; usually an engineer takes it from the team queue.
        // The team is sent along with the assignee, as the agent UI does, so the timeline shows
        // only what changed.
        story.update(pickUp, random.chance(0.25) ? fixer.manager : assignee, { teamId: fixer.team.id, assigneeId: assignee.id });
      }
    }
    if (text.kind === 'incident' && text.impact > 1 && random.chance(0.08)) {
      story.note(GAP.minutes, assignee, t('Spoke to {first}: colleagues at {site} are affected too. Raising impact.'));
      story.update(GAP.immediately, assignee, { impact: (text.impact - 1) as 1 | 2 });
    }
    if (random.chance(0.07)) overridePriority(story, fixer.manager, random.next());

    if (reach === 'assigned') {
      if (person && random.chance(0.25)) story.say(GAP.halfDay, person, random.pick(REQUESTER_FOLLOW_UPS));
    } else {
      if (person && random.chance(0.65)) story.say(GAP.minutes, assignee, t(random.pick(ACKNOWLEDGEMENTS)));
      story.move(GAP.hours, assignee, { to: 'in_progress' });
      if (random.chance(0.8)) story.note(GAP.hours, assignee, t(text.notes[0]));
      if (reach === 'in_progress') {
        if (text.notes[1] && random.chance(0.4)) story.note(GAP.halfDay, assignee, t(text.notes[1]));
      } else if (reach === 'on_hold') {
        story.move(GAP.hours, assignee, { to: 'on_hold', onHoldReason: text.hold[0], reason: t(text.hold[1]) });
        if (person && random.chance(0.3)) story.say(GAP.days, person, random.pick(REQUESTER_FOLLOW_UPS));
      } else {
        workToResolution(ctx, story, text, { assignee, person, t });
        if (reach === 'closed') close(ctx, story, { assignee, person, alert, t });
      }
    }
  }

  if (state === 'cancelled') {
    const [reason, by] = random.pick(CANCEL_REASONS);
    const actor = by === 'requester' && person ? person : reach === 'new' ? deskAgent : assignee;
    story.move(GAP.hours, actor, { to: 'cancelled', reason: t(reason) });
  }

  let [minAge, maxAge] = AGE_HOURS[state];
  // An urgent incident is not left open for a week.
  if (urgent && OPEN_STATES.includes(state)) [minAge, maxAge] = [Math.min(minAge, 2), Math.min(maxAge, 36)];
  const offset = reporter.role === 'requester' ? site.utcOffset : 0;
  const { timing } = ctx;
  let reported = ctx.limit - timing.between(minAge, maxAge) * HOUR;
  // Few people report on a weekend; drawing again beats piling every weekend onto Monday.
  for (let tries = 0; tries < 3 && isWeekend(reported, offset); tries++) reported = ctx.limit - timing.between(minAge, maxAge) * HOUR;
  // Most reports come in office hours; a few (and every alert) whenever they happen.
  const snapped = alert || timing.chance(0.1) ? reported : intoWorkingHours(reported, offset, timing);
  const start = snapped < ctx.limit - HOUR ? snapped : reported;
  story.schedule(ctx.agenda, start, { limit: ctx.limit, random: timing, requesterOffset: site.utcOffset, roundTheClock: urgent || alert });
  return story;
}

interface People {
  assignee: UserRow;
  person: UserRow | undefined;
  t: (template: string) => string;
}

/** Work, perhaps a hold, the fix, and sometimes a fix that did not hold. */
function workToResolution(ctx: PlanContext, story: Story, text: TicketText, { assignee, person, t }: People): void {
  const { random } = ctx;
  const [holdReason, holdMessage] = text.hold;
  if (random.chance(0.4) && (person || holdReason !== 'awaiting_requester')) {
    story.move(GAP.hours, assignee, { to: 'on_hold', onHoldReason: holdReason, reason: t(holdMessage) });
    if (holdReason === 'awaiting_requester' && person) {
      // The requester's reply itself puts the ticket back in progress.
      story.say(GAP.halfDay, person, t(text.reply));
    } else {
      const back =
        holdReason === 'awaiting_vendor' ? 'Vendor came back; picking this up again.' : 'Change implemented in the window; verifying.';
      story.move(holdReason === 'awaiting_vendor' ? GAP.vendor : GAP.day, assignee, { to: 'in_progress', reason: back });
    }
  }
  if (text.notes[1]) story.note(GAP.hours, assignee, t(text.notes[1]));
  const [code, notes] = text.resolution;
  story.move(GAP.hours, assignee, { to: 'resolved', resolutionCode: code, resolutionNotes: t(notes) });
  // Fixes that do not hold are an incident thing; a fulfilled request stays fulfilled.
  if (person && text.kind === 'incident' && random.chance(0.15)) {
    story.move(GAP.day, person, { to: 'in_progress', reason: random.pick(REOPEN_REASONS) });
    story.note(GAP.hours, assignee, 'Reopened by the requester. Looking at it again.');
    story.move(GAP.halfDay, assignee, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: t(random.pick(SECOND_FIXES)),
    });
  }
}

/** Closed by the requester confirming the fix, or by the desk after days without an answer. */
function close(ctx: PlanContext, story: Story, { assignee, person, alert, t }: People & { alert: boolean }): void {
  const { random } = ctx;
  if (person && random.chance(0.65)) {
    story.say(GAP.halfDay, person, t(random.pick(THANKS)));
    story.move(GAP.immediately, person, { to: 'closed' });
  } else {
    const reason = alert ? 'Monitoring has been clear for a day; closing.' : CLOSING_WITHOUT_REPLY;
    story.move(alert ? GAP.day : [3 * 24 * 60, 4 * 24 * 60], assignee, { to: 'closed', reason });
  }
}

/**
 * The matrix is right most of the time; the exceptions carry a reason on the timeline. The new
 * priority is worked out when the step plays, from whatever priority the ticket has by then.
 */
function overridePriority(story: Story, manager: UserRow, roll: number): void {
  story.update(GAP.minutes, manager, () => {
    const current = story.ref.ticket?.priority ?? 3;
    const lower = current <= 2 || (current < 5 && roll < 0.3);
    const reasons = lower ? LOWER_REASONS : RAISE_REASONS;
    return {
      priorityOverride: {
        priority: (lower ? current + 1 : current - 1) as 1 | 2 | 3 | 4 | 5,
        reason: reasons[Math.floor(roll * reasons.length)],
      },
    };
  });
}

function isWeekend(at: number, utcOffsetHours: number): boolean {
  const day = new Date(at + utcOffsetHours * HOUR).getUTCDay();
  return day === 0 || day === 6;
}

export const DEMO_SPAN = 30 * DAY;

/**
 * The service the reporter names: a requester picks among the services offered to them, so a
 * hidden infrastructure component is reported as the service it belongs to (or none).
 */
function serviceNamedBy(catalog: DemoCatalog, reporter: Actor, name: string | null): string | null {
  const service = catalog.services.get(name ?? '');
  if (!service) return null;
  if (canPickService(reporter, service)) return service.id;
  const parent = [...catalog.services.values()].find((s) => s.id === service.parentId);
  return parent && canPickService(reporter, parent) ? parent.id : null;
}
