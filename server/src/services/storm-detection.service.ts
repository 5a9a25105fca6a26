import { channelsFor } from '../../../core/notification-rules.js';
import type { Edge } from '../../../core/service-graph.js';
import {
  chooseStormRoot,
  DEFAULT_STORM_SETTINGS,
  groupBySimilarity,
  keyWords,
  proposalHeadline,
  reportSimilarity,
  type StormSettings,
  stormScope,
} from '../../../core/storm.js';
import { findServiceById, listDependencyEdges, listServices } from '../repositories/catalog.repository.js';
import { insertNotifications } from '../repositories/notifications.repository.js';
import { readSetting } from '../repositories/settings.repository.js';
import {
  announceStorm,
  countStormTickets,
  countWindowByService,
  findDeskManagers,
  findOpenProposal,
  insertProposal,
  listOpenTextProposals,
  listRecentTextDecisions,
  listServiceProposalsInPlay,
  listStormTickets,
  listUnservicedStormTickets,
  nthStormTicketAt,
  refreshProposal,
  type StormProposalRow,
} from '../repositories/storms.repository.js';
import { findUsersByIds } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { declareFromProposal } from './storm-declare.service.js';

export const STORM_SETTINGS_KEY = 'storm_detection';

/**
 * The service graph and the settings, as the detector last read them: during a storm it runs
 * every second, and an admin's edit reaching it up to 5 s late changes nothing that matters.
 * Kept per database handle, so tests and processes never share one.
 */
const GRAPH_TTL_MS = 5_000;
const graphCache = new WeakMap<
  object,
  { at: number; services: { id: string; parentId: string | null }[]; edges: Edge[]; settings: StormSettings }
>();

async function graphAndSettings(deps: DetectDeps, now: Date, mustKnow: readonly string[] = []) {
  const cached = graphCache.get(deps.cacheKey);
  const fresh = cached && now.getTime() - cached.at < GRAPH_TTL_MS && now.getTime() >= cached.at;
  // A report on a service created since the graph was read: read it again.
  if (cached && fresh && mustKnow.every((id) => cached.services.some((s) => s.id === id))) return cached;
  const [services, edges, settings] = await Promise.all([listServices(deps.db), listDependencyEdges(deps.db), readStormSettings(deps)]);
  const read = { at: now.getTime(), services: services.map((s) => ({ id: s.id, parentId: s.parentId })), edges, settings };
  graphCache.set(deps.cacheKey, read);
  return read;
}

/** Forget the cached graph (a test or an admin change that must be seen at once). */
export function forgetStormGraph(db: object): void {
  graphCache.delete(db);
}
/** The tickets a proposal keeps (what declaring links): the oldest of the storm. */
const KEPT_TICKETS = 200;
/** Reports on no service compared by their words per run: the newest of the window. */
const WORDS_COMPARED = 500;

export async function readStormSettings(deps: Pick<ServiceDeps, 'db'>): Promise<StormSettings> {
  return { ...DEFAULT_STORM_SETTINGS, ...((await readSetting<Partial<StormSettings>>(deps.db, STORM_SETTINGS_KEY)) ?? {}) };
}

interface Storm {
  clusterKey: string;
  serviceId: string | null;
  reports: number;
  alerts: number;
  widerScope: boolean;
  sampleTitle: string;
  ticketIds: string[];
  firstAt: Date;
  lastAt: Date;
  crossedAt: Date;
}

/**
 * The `storm.detect` job (at most once a second): one indexed count of the window's reports and
 * alerts per service (`tickets_opened_idx`: only the window is read), then, in memory, every
 * service's storm scope (core/storm.ts) — the service, what it is part of, what depends on those.
 * Storms are named after the most specific service that explains them (an open proposal keeps
 * its name while it is open), one per group of overlapping services. Reports on no service whose
 * words match a storm's join it; the rest are grouped by their words. Each storm raises a
 * proposal, or refreshes the open one.
 */
export async function detectStorms(deps: ServiceDeps): Promise<void> {
  // One transaction: on the embedded engine it waits its turn once among the reports'
  // transactions, instead of once per statement (which starved it for seconds in a storm).
  await deps.db.transaction((tx) => detectIn({ db: tx, clock: deps.clock, cacheKey: deps.db }));
}

/** The detector's deps: its transaction, and the database handle its cache is kept under. */
interface DetectDeps extends ServiceDeps {
  cacheKey: object;
}

async function detectIn(deps: DetectDeps): Promise<void> {
  const now = deps.clock.now();
  const { settings } = await graphAndSettings(deps, now);
  const since = new Date(now.getTime() - settings.windowMinutes * 60_000);
  const counts = await countWindowByService(deps.db, { since, until: now });
  const storms: Storm[] = [];
  if (counts.some((c) => c.serviceId !== null)) storms.push(...(await serviceStorms(deps, settings, counts, since, now)));
  if (counts.some((c) => c.serviceId === null && c.n > 0)) storms.push(...(await textStorms(deps, settings, since, now)));
  for (const storm of storms) await raiseOrRefresh(deps, storm, now);
}

type WindowCount = Awaited<ReturnType<typeof countWindowByService>>[number];

async function serviceStorms(deps: DetectDeps, settings: StormSettings, counts: WindowCount[], since: Date, now: Date): Promise<Storm[]> {
  const sum = (rows: WindowCount[], scope: readonly string[]) =>
    rows.filter((c) => c.serviceId !== null && scope.includes(c.serviceId)).reduce((n, c) => n + c.n, 0);
  // Nothing can reach the threshold: the usual case, answered by the one count.
  if (
    sum(
      counts,
      counts.map((c) => c.serviceId).filter((id): id is string => id !== null),
    ) < settings.threshold
  )
    return [];
  const { services: nodes, edges } = await graphAndSettings(
    deps,
    now,
    counts.map((c) => c.serviceId).filter((id): id is string => id !== null),
  );
  const scopes = new Map(nodes.map((n) => [n.id, stormScope(edges, nodes, n.id)]));
  // A decided storm (dismissed or declared) is not raised again from the same reports: what
  // arrived before the latest decision on an overlapping cluster no longer counts.
  const { decisions, open } = await listServiceProposalsInPlay(deps.db, since);
  const storms: Storm[] = [];
  const claimed = new Set<string>();
  for (;;) {
    const candidates = [...scopes]
      .filter(([, scope]) => !scope.some((id) => claimed.has(id)))
      .map(([id, scope]) => {
        const decided = decisions.filter((d) => d.serviceId && scope.some((s) => scopes.get(d.serviceId as string)?.includes(s)));
        const from = decided.reduce((at, d) => (d.decidedAt && d.decidedAt > at ? d.decidedAt : at), since);
        return { serviceId: id, scope, from, count: from === since ? sum(counts, scope) : -1, scopeSize: scope.length };
      });
    // Rare: clusters decided inside the window are counted again from the decision.
    for (const c of candidates.filter((c) => c.count < 0)) {
      c.count = sum(await countWindowByService(deps.db, { since: c.from, until: now, serviceIds: c.scope }), c.scope);
    }
    // While a proposal is open the storm keeps its name, rather than a neighbour's as counts shift.
    const root =
      candidates.find((c) => open.some((p) => p.serviceId === c.serviceId) && c.count >= settings.threshold) ??
      chooseStormRoot(candidates, settings.threshold);
    if (!root) break;
    const chosen = candidates.find((c) => c.serviceId === root.serviceId) as (typeof candidates)[number];
    for (const id of chosen.scope) claimed.add(id);
    storms.push(
      await describeServiceStorm(deps, settings, chosen, now, {
        counted: chosen.from === since ? counts.filter((c) => c.serviceId !== null && chosen.scope.includes(c.serviceId)) : null,
        anyUnserviced: counts.some((c) => c.serviceId === null && c.n > 0),
      }),
    );
  }
  return storms;
}

async function describeServiceStorm(
  deps: ServiceDeps,
  settings: StormSettings,
  root: { serviceId: string; scope: string[]; from: Date },
  now: Date,
  known: { counted: { alert: boolean; n: number }[] | null; anyUnserviced: boolean },
): Promise<Storm> {
  const window = { serviceIds: root.scope, since: root.from, until: now };
  const inWindow = known.counted ?? (await countStormTickets(deps.db, window));
  const alerts = inWindow.filter((c) => c.alert).reduce((n, c) => n + c.n, 0);
  const reports = inWindow.filter((c) => !c.alert).reduce((n, c) => n + c.n, 0);
  const kept = await listStormTickets(deps.db, window, KEPT_TICKETS);
  // Reports on no service that say what the storm's reports say belong to it too.
  const samples = [...new Set(kept.filter((t) => t.channel !== 'alert').map((t) => t.title))].slice(-20);
  const alike =
    samples.length && known.anyUnserviced
      ? (await listUnservicedStormTickets(deps.db, { since: root.from, until: now }, WORDS_COMPARED)).filter((u) =>
          samples.some((s) => reportSimilarity(u.title, s) >= settings.similarity),
        )
      : [];
  // The oldest kept tickets are the first of the window: the threshold-th is among them.
  const crossedAt =
    kept.length >= settings.threshold
      ? kept[settings.threshold - 1].openedAt
      : ((await nthStormTicketAt(deps.db, window, settings.threshold)) ?? now);
  const all = [...kept, ...alike].sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime());
  return {
    clusterKey: `service:${root.serviceId}`,
    serviceId: root.serviceId,
    reports: reports + alike.filter((t) => t.channel !== 'alert').length,
    alerts: alerts + alike.filter((t) => t.channel === 'alert').length,
    widerScope: root.scope.length > 1,
    sampleTitle: samples[0] ?? kept[0]?.title ?? '',
    ticketIds: all.slice(0, KEPT_TICKETS).map((t) => t.id),
    firstAt: all[0]?.openedAt ?? root.from,
    lastAt: all[all.length - 1]?.openedAt ?? now,
    crossedAt,
  };
}

async function textStorms(deps: ServiceDeps, settings: StormSettings, since: Date, now: Date): Promise<Storm[]> {
  const recent = await listUnservicedStormTickets(deps.db, { since, until: now }, WORDS_COMPARED);
  const decisions = await listRecentTextDecisions(deps.db, since);
  // What arrived before a decision on a storm with these words was decided on already.
  const undecided = recent.filter(
    (t) =>
      !decisions.some((d) => d.decidedAt && t.openedAt <= d.decidedAt && reportSimilarity(t.title, d.sampleTitle) >= settings.similarity),
  );
  const groups = groupBySimilarity(
    undecided.map((t) => t.title),
    settings.similarity,
  );
  const open = await listOpenTextProposals(deps.db);
  const storms: Storm[] = [];
  for (const first of new Set(groups)) {
    const members = undecided.filter((_, i) => groups[i] === first);
    if (members.length < settings.threshold) continue;
    const sample = members[0].title;
    const existing = open.find((p) => members.some((m) => reportSimilarity(m.title, p.sampleTitle) >= settings.similarity));
    storms.push({
      clusterKey: existing?.clusterKey ?? `text:${keyWords(sample)}`,
      serviceId: null,
      reports: members.filter((m) => m.channel !== 'alert').length,
      alerts: members.filter((m) => m.channel === 'alert').length,
      widerScope: false,
      sampleTitle: existing?.sampleTitle ?? sample,
      ticketIds: members.slice(0, KEPT_TICKETS).map((m) => m.id),
      firstAt: members[0].openedAt,
      lastAt: members[members.length - 1].openedAt,
      crossedAt: members[settings.threshold - 1].openedAt,
    });
  }
  return storms;
}

async function raiseOrRefresh(deps: ServiceDeps, storm: Storm, now: Date): Promise<void> {
  const open = await findOpenProposal(deps.db, storm.clusterKey);
  if (open) {
    if (open.reportCount === storm.reports && open.alertCount === storm.alerts) return;
    await deps.db.transaction(async (tx) => {
      await refreshProposal(tx, open.id, {
        reportCount: storm.reports,
        alertCount: storm.alerts,
        ticketIds: storm.ticketIds,
        firstAt: storm.firstAt,
        lastAt: storm.lastAt,
      });
      await announceStorm(tx, open.id);
    });
    return;
  }
  const service = storm.serviceId ? await findServiceById(deps.db, storm.serviceId) : undefined;
  const raised = await deps.db.transaction(async (tx) => {
    const proposal = await insertProposal(tx, {
      clusterKey: storm.clusterKey,
      serviceId: storm.serviceId,
      status: 'open',
      reportCount: storm.reports,
      alertCount: storm.alerts,
      widerScope: storm.widerScope,
      sampleTitle: storm.sampleTitle,
      ticketIds: storm.ticketIds,
      firstAt: storm.firstAt,
      lastAt: storm.lastAt,
      crossedAt: storm.crossedAt,
      raisedAt: now,
    });
    // Another process raised it first: theirs is the one.
    if (!proposal) return undefined;
    const headline = headlineOf(proposal, service?.name ?? null);
    const managerIds = (await findDeskManagers(tx, service?.ownerTeamId ?? null)).map((m) => m.id);
    // In the bell, unless a manager turned that group off (no mail: the desk is where it is decided).
    const managers = (await findUsersByIds(tx, managerIds)).filter((m) => m.active && channelsFor(m, 'storm_proposed').includes('in_app'));
    await insertNotifications(
      tx,
      managers.map((m) => ({
        ticketId: null,
        userId: m.id,
        channel: 'in_app' as const,
        address: '',
        reason: 'storm_proposed',
        payload: { proposalId: proposal.id },
        subject: headline,
        bodyText: `First report: “${proposal.sampleTitle}”. Open the desk to declare a major incident or dismiss the proposal.`,
        createdAt: now,
        sentAt: now,
      })),
    );
    await announceStorm(tx, proposal.id);
    return proposal;
  });
  // A service whose storms declare by policy does not wait for the desk.
  if (raised && service?.declareByPolicy) await declareFromProposal(deps, null, raised.id, {});
}

/** The sentence a proposal is shown with. */
export function headlineOf(p: StormProposalRow, serviceName: string | null): string {
  return proposalHeadline({
    reports: p.reportCount,
    alerts: p.alertCount,
    serviceName,
    widerScope: p.widerScope,
    sampleTitle: p.sampleTitle,
    spanMs: p.lastAt.getTime() - p.firstAt.getTime(),
  });
}
