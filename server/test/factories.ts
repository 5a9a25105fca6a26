import { eq } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import type { Channel, Role } from '../../core/vocabulary.js';
import { tickets } from '../src/db/schema/index.js';
import type { NewTicketRow } from '../src/repositories/tickets.repository.js';
import type { ServiceDeps } from '../src/services/deps.js';
import { createUser } from '../src/services/directory.service.js';
import { type ReportTicketInput, reportTicket } from '../src/services/ticket-intake.service.js';
import type { TestApp, TestUser } from './test-app.js';

/**
 * Test data made through the services, as the application makes it: each factory names what a
 * test usually does not care about, and the test names what it does. One place to change when
 * a service's signature changes, instead of a home-made helper in every file.
 */

/** A person of this role, as services see them; `timeZone` defaults to UTC. */
export async function createTestPerson<R extends Role>(
  deps: ServiceDeps,
  role: R,
  fields: { email: string; name: string; timeZone?: string },
): Promise<Actor & { role: R }> {
  const user = await createUser(deps, { ...fields, role, timeZone: fields.timeZone ?? 'UTC' });
  return { id: user.id, role };
}

/**
 * An incident row written straight to the table, as an import writes a past ticket (no service,
 * no timeline): a requester's portal report of impact and urgency 3 (P5), local. `fields` name
 * what the caller cares about — the text, the state and its dates.
 */
export function importedIncidentRow<
  F extends Partial<NewTicketRow> & Pick<NewTicketRow, 'title' | 'description' | 'state' | 'openedAt' | 'updatedAt'>,
>(requesterId: string, fields: F) {
  return {
    kind: 'incident' as const,
    requesterId,
    reportedById: requesterId,
    channel: 'portal' as const,
    impact: 3,
    urgency: 3,
    priority: 5,
    scope: 'local' as const,
    ...fields,
  };
}

/** What a report says when a test names only the title: an incident of one person (impact and urgency 3), local. */
export function incidentInput(title: string, fields: Partial<ReportTicketInput> = {}): ReportTicketInput {
  return { kind: 'incident', title, description: '', impact: 3, urgency: 3, scope: 'local', ...fields };
}

/**
 * A ticket reported through the intake service by `actor` on `channel` (as a person on the
 * portal, an integration on the API …); the fields override `incidentInput`'s. Returns the row.
 */
export async function reportTestTicket(
  deps: ServiceDeps,
  actor: Actor,
  title: string,
  fields: Partial<ReportTicketInput> = {},
  channel: Channel = 'api',
) {
  return (await reportTicket(deps, actor, incidentInput(title, fields), { defaultChannel: channel })).ticket;
}

/**
 * A ticket reported through the API (`POST /api/v1/tickets`) by `who`: the ticket as presented.
 * Anything but 201 fails the test here, with the answer.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, asserting what they need
export async function reportTicketViaApi(t: TestApp, who: TestUser, payload: Record<string, unknown>): Promise<any> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: who.headers, payload });
  if (res.statusCode !== 201) throw new Error(`POST /api/v1/tickets answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/**
 * What the public status page shows of an outage: a service on the page ("VPN", made by an
 * admin) and a global incident on it reported by `who` through the API. Returns their ids.
 */
export async function reportPublicOutageViaApi(
  t: TestApp,
  who: TestUser,
  title: string,
): Promise<{ serviceId: string; incidentId: string }> {
  const admin = await t.user('admin');
  const service = await t.app.inject({
    method: 'POST',
    url: '/api/v1/services',
    headers: admin.headers,
    payload: { name: 'VPN', onStatusPage: true },
  });
  if (service.statusCode !== 201) throw new Error(`POST /api/v1/services answered ${service.statusCode}: ${service.body}`);
  const serviceId = service.json().id as string;
  const incident = await reportTicketViaApi(t, who, { kind: 'incident', title, impact: 1, urgency: 1, scope: 'global', serviceId });
  return { serviceId, incidentId: incident.id };
}

/**
 * Makes a ticket a major incident, as declaring one will (issue 14): only `majorSince` is set,
 * so tests of the response (roles, investigations, tasks, meetings) need not go through the
 * declaration. `since` defaults to the clock's now.
 */
export async function makeTestMajorIncident(deps: ServiceDeps, ticketId: string, since: Date = deps.clock.now()): Promise<void> {
  await deps.db.update(tickets).set({ majorSince: since }).where(eq(tickets.id, ticketId));
}

/** Monday to Friday, 09:00–17:00 (minutes of the day): the business week most SLA tests count in. */
export const NINE_TO_FIVE_WEEK = (() => {
  const day = [{ start: 540, end: 1020 }];
  return { monday: day, tuesday: day, wednesday: day, thursday: day, friday: day, saturday: [], sunday: [] };
})();

/**
 * A business calendar and an SLA policy counted on it, made through the API by `admin`
 * (`POST /business-calendars`, then `POST /sla-policies`): the calendar is Berlin's nine-to-five
 * week unless `calendar` says otherwise; `policy` names what the test cares about (name, match,
 * targets). Anything but 201 fails the test here, with the answer. Returns both as presented.
 */
export async function createSlaPolicyViaApi(
  t: TestApp,
  admin: TestUser,
  policy: Record<string, unknown>,
  calendar: Record<string, unknown> = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, asserting what they need
): Promise<{ calendar: any; policy: any }> {
  const created = async (url: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url, headers: admin.headers, payload });
    if (res.statusCode !== 201) throw new Error(`POST ${url} answered ${res.statusCode}: ${res.body}`);
    return res.json();
  };
  const madeCalendar = await created('/api/v1/business-calendars', {
    name: 'Berlin office',
    timeZone: 'Europe/Berlin',
    week: NINE_TO_FIVE_WEEK,
    ...calendar,
  });
  const madePolicy = await created('/api/v1/sla-policies', { calendarId: madeCalendar.id, ...policy });
  return { calendar: madeCalendar, policy: madePolicy };
}
