import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import * as t from '../src/db/schema/index.js';
import { storeAttachmentContent } from '../src/services/attachment-storage.service.js';
import type { ServiceDeps } from '../src/services/deps.js';
import { createUser } from '../src/services/directory.service.js';
import { followTicket } from '../src/services/followers.service.js';
import { articleSolvedIt, createArticle, moveArticle, rateArticle } from '../src/services/knowledge-base.service.js';
import { countPendingTicketsNow } from '../src/services/kpi-rollup-drain.service.js';
import { createTeam } from '../src/services/teams.service.js';
import { addComment } from '../src/services/ticket-conversation.service.js';
import { reportTestTicket } from './factories.js';

/**
 * A small desk with at least one row in EVERY table, each value chosen to be hard to carry
 * through a text format: bytes 0–255, quotes, backslashes, newlines, tabs, non-BMP unicode,
 * JSON with escapes and nulls, arrays (empty and not), timestamps with microseconds, floats
 * that print long, NULLs. The backup round-trip test fills it and asserts no table is empty,
 * so a table added later without a row here fails that test by name.
 *
 * People, a team, tickets (with their timeline, KPI rollups and jobs), attachment bytes and a
 * knowledge article go through the services; the many tables that only background work or
 * admin screens write are filled through the schema directly — the point is their values, not
 * the rules that lead to them.
 */

/** Text that breaks naive quoting: JSON escapes, SQL quotes, line ends, a tab, unicode beyond the BMP. */
export const AWKWARD_TEXT = `It's "broken" \\ again;\nline two\r\n\ttabbed — ünïcödé 🔥 𝄞 '); DROP TABLE tickets;--`;

/** Every byte value once, then again reversed: what an attachment or a raw e-mail may hold. */
export const EVERY_BYTE = Buffer.from([...Array.from({ length: 256 }, (_, i) => i), ...Array.from({ length: 256 }, (_, i) => 255 - i)]);

/** JSON that must come back the same: escapes, unicode, null, nesting, numbers that print long. */
export const AWKWARD_JSON = {
  'quote"key': 'back\\slash\nnew line',
  emoji: '🔥 𝄞',
  nothing: null,
  nested: [1, 0.1, -2.5e-10, 12345678901234, true, false, { deep: ['', ' '] }],
  empty: {},
};

/** A timestamp with microseconds, which a JavaScript Date cannot carry: written as SQL text. */
const micro = (text: string): SQL<Date> => sql<Date>`${text}::timestamptz`;

/**
 * JSON stored as it is: a column's declared shape is the services' business; what a backup must
 * carry is any JSON the column may hold, awkward or not.
 */
const stored = <T>(value: unknown): T => value as T;

export async function fillEveryTable(deps: ServiceDeps): Promise<void> {
  const db = deps.db;
  const at = micro('2026-03-18 13:59:58.123456+00');
  const later = micro('2026-03-18 14:04:59.999999+00');

  // People and a team, as the directory makes them.
  const admin = await createUser(deps, { email: 'admin@example.test', name: 'Ada Admin', role: 'admin', timeZone: 'UTC' });
  const agent = await createUser(deps, {
    email: 'agent@example.test',
    name: `Ágnes "Ops" O'Neil`,
    role: 'agent',
    timeZone: 'Europe/Berlin',
    organisation: AWKWARD_TEXT,
    password: 'correct horse battery staple',
  });
  const requester = await createUser(deps, {
    email: 'requester@example.test',
    name: '山田 太郎',
    role: 'requester',
    timeZone: 'Asia/Tokyo',
  });
  const manager = await createUser(deps, { email: 'manager@example.test', name: 'Mo Manager', role: 'manager', timeZone: 'UTC' });
  const asAgent: Actor = { id: agent.id, role: 'agent' };

  const [calendar] = await db
    .insert(t.businessCalendars)
    .values({
      name: 'Berlin office',
      timeZone: 'Europe/Berlin',
      week: stored({ monday: [{ start: 540, end: 1020 }], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] }),
      holidays: stored([{ date: '2026-12-25', name: 'Weihnachten' }]),
      createdAt: at,
    })
    .returning();
  const [schedule] = await db
    .insert(t.onCallSchedules)
    .values({
      name: 'Primary',
      description: AWKWARD_TEXT,
      timeZone: 'Europe/Berlin',
      layers: stored([{ name: 'Week', rotation: 'weekly', start: '2026-03-16T08:00:00Z', userIds: [agent.id] }]),
      feedTokenHash: 'f'.repeat(64),
      createdAt: at,
      updatedAt: later,
    })
    .returning();
  const [policy] = await db
    .insert(t.escalationPolicies)
    .values({
      name: 'Wake the on-call',
      levels: stored([{ delayMinutes: 5, targets: [{ kind: 'schedule', id: schedule.id }] }]),
      repeat: 2,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  const team = await createTeam(deps, {
    name: 'Service desk',
    description: 'First line\n"and" second',
    managerId: manager.id,
    memberIds: [agent.id, manager.id],
    shiftScheduleId: schedule.id,
    workingHoursCalendarId: calendar.id,
  });

  const [service] = await db
    .insert(t.services)
    .values({
      name: 'Mail',
      description: AWKWARD_TEXT,
      ownerTeamId: team.id,
      escalationPolicyId: policy.id,
      createdAt: at,
      onStatusPage: true,
    })
    .returning();
  const [database] = await db.insert(t.services).values({ name: 'Database', parentId: service.id, createdAt: at }).returning();
  await db.insert(t.serviceDependencies).values({ serviceId: service.id, dependsOnId: database.id });
  const [category] = await db.insert(t.categories).values({ name: 'Hardware', defaultTeamId: team.id, createdAt: at }).returning();
  const [subcategory] = await db.insert(t.categories).values({ name: 'Laptop', parentId: category.id, createdAt: at }).returning();

  // Tickets through intake, a conversation and a follower: their timeline, KPI rollups and jobs come with them.
  const incident = await reportTestTicket(deps, asAgent, AWKWARD_TEXT, {
    description: `${AWKWARD_TEXT}\n\n${'long '.repeat(200)}`,
    requesterId: requester.id,
    serviceId: service.id,
    categoryId: category.id,
    subcategoryId: subcategory.id,
    teamId: team.id,
    assigneeId: agent.id,
    impact: 1,
    urgency: 2,
    scope: 'global',
  });
  await addComment(deps, { id: requester.id, role: 'requester' }, incident.id, { body: AWKWARD_TEXT, visibility: 'public' });
  await addComment(deps, asAgent, incident.id, { body: `Work note: ${AWKWARD_TEXT}`, visibility: 'internal' });
  await followTicket(deps, { id: manager.id, role: 'manager' }, incident.id);
  const problem = await reportTestTicket(deps, asAgent, 'Mail queues fill up', { kind: 'problem' });
  const change = await reportTestTicket(deps, asAgent, 'Upgrade the mail relay', { kind: 'change' });
  // Counted in the rollups, as the server's background drain would have done by now.
  await countPendingTicketsNow(db);

  // Attachment bytes through the storage service (every byte value), its row as intake writes it.
  const attachmentId = await storeAttachmentContent(deps, EVERY_BYTE);
  const [email] = await db
    .insert(t.inboundEmails)
    .values({
      receivedAt: at,
      messageId: '<weird"id@example.test>',
      envelopeFrom: 'requester@example.test',
      envelopeTo: stored(['desk@example.test', 'Ünïcode <u@example.test>']),
      fromAddress: 'requester@example.test',
      subject: AWKWARD_TEXT,
      rawSize: EVERY_BYTE.length,
      raw: EVERY_BYTE,
      outcome: 'ticket_created',
      notes: stored([AWKWARD_TEXT]),
      ticketId: incident.id,
      senderId: requester.id,
      rawSha256: 'a'.repeat(64),
    })
    .returning();
  await db.insert(t.attachments).values({
    id: attachmentId,
    ticketId: incident.id,
    inboundEmailId: email.id,
    filename: 'bytes "all" ünïcode.bin',
    contentType: 'application/octet-stream',
    size: EVERY_BYTE.length,
    uploadedById: requester.id,
    createdAt: at,
  });

  // Knowledge through its service: the article, its versions and a reader's feedback.
  const article = await createArticle(deps, asAgent, {
    title: 'When the mail queue "fills"',
    body: `# Steps\n\n1. ${AWKWARD_TEXT}\n\n\`\`\`sh\necho 'hi'\n\`\`\``,
    audience: 'everyone',
    serviceIds: stored([service.id, database.id]),
    categoryIds: [],
  });
  // Published (a second version), then found helpful by a requester, and it solved their problem.
  await moveArticle(deps, asAgent, article.id, 'published', article.version);
  const asRequester: Actor = { id: requester.id, role: 'requester' };
  await rateArticle(deps, asRequester, article.id, true);
  await articleSolvedIt(deps, asRequester, article.id);
  // The same requester's report ended by the problem's workaround (a known error's "This solved it").
  await db
    .insert(t.knownErrorSolvedBy)
    .values({ problemId: problem.id, userId: requester.id, solvedAt: new Date('2026-03-01T10:00:00.123456Z') });

  // Sign-in and API access.
  await db
    .insert(t.sessions)
    .values({ tokenHash: 's'.repeat(64), userId: agent.id, createdAt: at, expiresAt: later, oidcIdToken: 'eyJ.a-b_c.d' });
  await db
    .insert(t.signInIdentities)
    .values({ issuer: 'https://id.example.test/', subject: 'sub|42', userId: agent.id, createdAt: at, lastSignInAt: later });
  await db.insert(t.apiTokens).values({
    name: 'CI "deploy"',
    userId: admin.id,
    tokenHash: 't'.repeat(64),
    prefix: 'fb_1234',
    createdAt: at,
    expiresAt: null,
    lastUsedAt: later,
  });
  await db.insert(t.signInFailures).values({ email: 'nobody@example.test', ip: '::ffff:203.0.113.9', at });
  await db
    .insert(t.idempotencyKeys)
    .values({ userId: agent.id, key: 'key with spaces/and "quotes"', requestHash: 'h'.repeat(64), resourceId: incident.id, createdAt: at });
  await db.insert(t.settings).values({ key: 'backup_fixture', value: AWKWARD_JSON, updatedAt: at });

  // Alerts and monitoring.
  const [integration] = await db
    .insert(t.integrations)
    .values({
      name: 'Prometheus',
      source: 'alertmanager',
      tokenHash: 'i'.repeat(64),
      tokenPrefix: 'fbi_abcd',
      userId: admin.id,
      rules: stored([{ match: stored({ severity: 'critical' }), action: 'ticket' }]),
      createdAt: at,
      lastAlertAt: later,
    })
    .returning();
  await db.insert(t.alerts).values({
    integrationId: integration.id,
    fingerprint: 'fp-1',
    status: 'firing',
    severity: 'critical',
    summary: AWKWARD_TEXT,
    labels: stored(AWKWARD_JSON),
    sourceUrl: 'https://prom.example.test/graph?g0.expr=up%3D%3D0&x="y"',
    startsAt: at,
    firstSeenAt: at,
    lastSeenAt: later,
    count: 3,
    lastPayload: stored(AWKWARD_JSON),
    action: 'ticket',
    ruleIndex: 0,
    groupKey: '{}:{alertname="Down"}',
    ticketId: incident.id,
  });
  await db.insert(t.refusedAlertDeliveries).values({
    integrationId: integration.id,
    receivedAt: at,
    status: 422,
    reason: 'Not JSON',
    fieldErrors: stored([{ field: 'alerts[0].labels', message: 'is missing' }]),
    contentType: 'text/plain; charset=latin1',
    bodyBytes: 12,
    bodyExcerpt: AWKWARD_TEXT,
    excerptTruncated: true,
    requestId: 'req-1',
  });
  const [check] = await db
    .insert(t.checks)
    .values({
      name: 'Mail answers',
      serviceId: service.id,
      kind: 'http',
      target: 'https://mail.example.test/health',
      intervalSeconds: 60,
      timeoutMs: 5000,
      expectStatus: 200,
      keyword: 'ok "fine"',
      integrationId: integration.id,
      baseline: stored({ meanMs: 12.345678901, stddevMs: 0.1 }),
      createdAt: at,
      lastRunAt: later,
    })
    .returning();
  await db.insert(t.checkResults).values([
    { checkId: check.id, at, ok: true, latencyMs: 12, statusCode: 200, z: 0.30000000000000004 },
    { checkId: check.id, at: later, ok: false, latencyMs: null, statusCode: null, error: AWKWARD_TEXT, z: -1.7976931348623157e308 },
    // A z-score over a baseline with no spread, and the smallest double: JSON has no NaN, so it travels as text.
    { checkId: check.id, at: later, ok: true, latencyMs: 0, statusCode: 204, z: Number.NaN },
    { checkId: check.id, at: later, ok: true, latencyMs: 1, statusCode: 200, z: 5e-324 },
  ]);
  // More rows than one batch of the backup's cursor and of the restore's inserts (500 each).
  await db.insert(t.checkResults).values(
    Array.from({ length: 1234 }, (_, i) => ({
      checkId: check.id,
      at: micro(`2026-03-17 00:00:00.${String(i).padStart(6, '0')}+00`),
      ok: i % 7 !== 0,
      latencyMs: i,
      statusCode: 200,
      z: i / 7,
    })),
  );

  // Paging.
  const [page] = await db
    .insert(t.pages)
    .values({
      ticketId: incident.id,
      policyId: policy.id,
      state: 'acknowledged',
      message: AWKWARD_TEXT,
      triggeredById: agent.id,
      createdAt: at,
      acknowledgedAt: later,
      acknowledgedById: agent.id,
    })
    .returning();
  await db.insert(t.pageRecipients).values({ pageId: page.id, userId: agent.id, level: 0, round: 0, pagedAt: at });
  await db
    .insert(t.onCallOverrides)
    .values({ scheduleId: schedule.id, userId: manager.id, startsAt: at, endsAt: later, createdById: admin.id, createdAt: at });

  // Major incident response.
  await db.insert(t.ticketAffectedPeople).values({ ticketId: incident.id, userId: requester.id, via: 'me_too', since: at });
  const [role] = await db
    .insert(t.incidentRoles)
    .values({
      key: 'fixture_lead',
      name: 'Fixture lead',
      checklist: stored(['Open a bridge', 'Say "hello"']),
      singleHolder: true,
      position: 99,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await db
    .insert(t.incidentRoleAssignments)
    .values({ ticketId: incident.id, roleId: role.id, userId: agent.id, singleHolder: true, since: at, assignedById: manager.id });
  const [investigation] = await db
    .insert(t.investigations)
    .values({
      ticketId: incident.id,
      hypothesis: AWKWARD_TEXT,
      ownerId: agent.id,
      helperIds: stored([manager.id]),
      createdAt: at,
      createdById: agent.id,
      updatedAt: at,
    })
    .returning();
  await db.insert(t.investigationFindings).values({ investigationId: investigation.id, authorId: agent.id, at: later, body: AWKWARD_TEXT });
  await db.insert(t.incidentTasks).values({
    ticketId: incident.id,
    title: 'Call the vendor',
    ownerId: agent.id,
    dueAt: later,
    createdAt: at,
    createdById: manager.id,
    updatedAt: at,
  });
  await db.insert(t.incidentMeetings).values({
    ticketId: incident.id,
    title: 'Bridge',
    startsAt: later,
    durationMinutes: 30,
    link: 'https://meet.example.test/a?b=c&d="e"',
    attendeeIds: stored([agent.id, manager.id]),
    agenda: AWKWARD_TEXT,
    createdAt: at,
    createdById: manager.id,
    updatedAt: at,
  });
  await db
    .insert(t.incidentUpdateCadences)
    .values({ ticketId: problem.id, cadenceSince: at, lastUpdateAt: at, nextDueAt: later, updatedAt: at });
  const [review] = await db
    .insert(t.incidentReviews)
    .values({
      ticketId: incident.id,
      sections: stored({ summary: AWKWARD_TEXT, timeline: [], lessons: null }),
      createdAt: at,
      createdById: manager.id,
      updatedAt: at,
    })
    .returning();
  await db.insert(t.actionItems).values({
    ticketId: incident.id,
    reviewId: review.id,
    title: 'Add disk alerts',
    ownerId: agent.id,
    dueOn: '2026-04-01',
    createdAt: at,
    createdById: manager.id,
    updatedAt: at,
    problemId: problem.id,
  });
  await db.insert(t.stakeholderAudiences).values({
    name: 'Leadership',
    userIds: stored([manager.id]),
    teamIds: stored([team.id]),
    emails: stored(['cto@example.test']),
    serviceIds: stored([service.id]),
    createdAt: at,
    updatedAt: at,
  });
  await db.insert(t.stormProposals).values({
    clusterKey: 'mail|queue',
    serviceId: service.id,
    status: 'open',
    reportCount: 4,
    alertCount: 1,
    sampleTitle: AWKWARD_TEXT,
    ticketIds: stored([incident.id]),
    firstAt: at,
    lastAt: later,
    crossedAt: later,
    raisedAt: later,
  });

  // Changes.
  await db.insert(t.changes).values({
    ticketId: change.id,
    type: 'normal',
    risk: 'medium',
    plannedStart: at,
    plannedEnd: later,
    implementationPlan: AWKWARD_TEXT,
    backoutPlan: 'Roll back.\nThen "verify".',
  });
  await db
    .insert(t.changeApprovals)
    .values({ changeId: change.id, approverId: manager.id, named: true, decision: 'approved', comment: 'OK 👍', decidedAt: later });
  await db.insert(t.changeLinks).values({ changeId: change.id, ticketId: incident.id, linkedAt: at });

  // Status page and maintenance.
  const [maintenance] = await db
    .insert(t.maintenanceWindows)
    .values({
      title: 'Relay upgrade',
      description: AWKWARD_TEXT,
      componentIds: [service.id, database.id],
      startsAt: at,
      endsAt: later,
      leadMinutes: 60,
      state: 'scheduled',
      createdById: admin.id,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await db
    .insert(t.maintenanceUpdates)
    .values({ maintenanceId: maintenance.id, news: 'scheduled', stateAfter: 'scheduled', body: AWKWARD_TEXT, actorId: admin.id, at });
  await db
    .insert(t.statusOverrides)
    .values({ serviceId: service.id, status: 'degraded', until: later, reason: AWKWARD_TEXT, setById: admin.id, setAt: at });
  const [announcement] = await db
    .insert(t.statusAnnouncements)
    .values({
      ticketId: incident.id,
      key: 'incident-started',
      kind: 'started',
      subject: AWKWARD_TEXT,
      bodyText: AWKWARD_TEXT,
      componentIds: [],
      createdAt: at,
    })
    .returning();
  const [subscriber] = await db
    .insert(t.statusSubscribers)
    .values({
      channel: 'email',
      address: 'watcher@example.test',
      name: 'Wätcher',
      componentIds: [service.id],
      confirmedAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await db.insert(t.statusDeliveries).values({ announcementId: announcement.id, subscriberId: subscriber.id, createdAt: at, sentAt: null });

  // Notifications, webhooks, automation, canned replies, views and reports.
  const [webhook] = await db
    .insert(t.webhookSubscriptions)
    .values({
      name: 'Chat',
      url: 'https://hooks.example.test/x?y=1',
      secret: 'shh',
      format: 'json',
      eventTypes: stored(['ticket.created']),
      createdAt: at,
    })
    .returning();
  await db.insert(t.notifications).values({
    ticketId: incident.id,
    userId: null,
    channel: 'webhook',
    address: webhook.url,
    reason: 'subscribed',
    subject: AWKWARD_TEXT,
    bodyText: AWKWARD_TEXT,
    createdAt: at,
    webhookId: webhook.id,
    payload: stored(AWKWARD_JSON),
  });
  await db.insert(t.automationRules).values({
    name: 'Tag VIPs',
    position: 0,
    trigger: stored({ event: 'ticket.created' }),
    conditions: stored([{ field: 'title', op: 'contains', value: '"VIP"' }]),
    actions: stored([{ kind: 'set_priority', value: 1 }]),
    createdAt: at,
    updatedAt: at,
    updatedById: admin.id,
  });
  await db.insert(t.cannedReplies).values({
    ownerId: agent.id,
    name: 'Restart',
    body: AWKWARD_TEXT,
    visibility: 'public',
    setState: 'on_hold',
    onHoldReason: 'awaiting_requester',
    setTeamId: team.id,
    createdAt: at,
    updatedAt: at,
  });
  await db.insert(t.savedViews).values({
    userId: agent.id,
    name: 'Mine "urgent"',
    queue: 'mine',
    filters: stored({ priority: [1, 2], q: AWKWARD_TEXT }),
    createdAt: at,
  });
  await db.insert(t.savedReports).values({
    ownerId: manager.id,
    name: 'Weekly',
    kpis: stored(['mttr', 'backlog']),
    filters: stored({ teamIds: [team.id] }),
    schedule: 'weekly',
    recipients: stored(['boss@example.test']),
    nextSendAt: later,
    createdAt: at,
    updatedAt: at,
  });
  await db.insert(t.slaPolicies).values({
    name: 'P1',
    position: 0,
    match: stored({ priority: [1] }),
    calendarId: calendar.id,
    firstResponseMinutes: 15,
    resolutionMinutes: 240,
    pauseOnHoldReasons: stored(['awaiting_requester']),
    createdAt: at,
    breachEscalateToTeamId: team.id,
  });
  await db
    .insert(t.satisfactionRatings)
    .values({ ticketId: incident.id, userId: requester.id, rating: 4, comment: AWKWARD_TEXT, answeredAt: at, changedAt: later });

  // Learned routing, imports and work queues.
  const [model] = await db
    .insert(t.routingModels)
    .values({
      status: 'ready',
      format: 1,
      teamHeader: stored({ teams: [team.id] }),
      teamWeights: EVERY_BYTE,
      categoryHeader: null,
      categoryWeights: Buffer.alloc(0),
      evaluation: stored({ accuracy: 0.8333333333333334 }),
      trainedAt: at,
    })
    .returning();
  await db
    .insert(t.routingDecisions)
    .values({ ticketId: incident.id, teamId: team.id, confidence: 0.1 + 0.2, applied: true, modelId: model.id, decidedAt: at });
  await db.insert(t.importedRecords).values({
    source: 'servicenow',
    sourceNumber: 'INC0010001',
    ticketId: problem.id,
    modCount: 7,
    snapshot: stored(AWKWARD_JSON),
    importedAt: at,
  });
  await db.insert(t.importLock).values({ id: 1, holder: 'import of "x.csv"', startedAt: at, leaseUntil: later });
  await db.insert(t.importRuns).values({
    id: '00000000-0000-4000-8000-000000000070',
    fileName: AWKWARD_TEXT,
    bytes: 44_104_250,
    startedById: admin.id,
    startedFrom: AWKWARD_TEXT,
    startedAt: at,
    finishedAt: later,
    state: 'done',
    phase: 'writing',
    percent: 100,
    rows: 150_000,
    incidents: 25_000,
    report: stored(AWKWARD_JSON),
    error: null,
    heartbeatAt: later,
  });
  await db
    .insert(t.jobs)
    .values({ id: 'fixture:job', kind: 'fixture', payload: stored(AWKWARD_JSON), runAt: later, createdAt: at, lastError: AWKWARD_TEXT })
    .onConflictDoNothing();
  await db
    .insert(t.kpiMonthlyDurationBuckets)
    .values({ month: '2025-01-01', priority: 3, kind: 'incident', duration: 'resolve', bucket: 4, count: 2, totalMs: '1234567.5' });
  await db.insert(t.kpiMonthlyTeamDurationBuckets).values({
    month: '2025-01-01',
    teamId: team.id,
    priority: 3,
    kind: 'incident',
    duration: 'acknowledge',
    bucket: 1,
    count: 1,
    totalMs: '0.000001',
  });
  // A service's histogram row (migration 0082), with a sum finer than a millisecond.
  await db.insert(t.kpiMonthlyDimensionDurationBuckets).values({
    dimension: 'service',
    dimensionId: crypto.randomUUID(),
    month: '2025-01-01',
    priority: 2,
    kind: 'incident',
    duration: 'business_resolve',
    bucket: 7,
    count: 3,
    totalMs: '98765.4321',
  });
  // Triggers write it for resolved incidents (migration 0076); here its words (positions and all) of awkward text.
  await db
    .insert(t.similarIncidentTerms)
    .values({ ticketId: incident.id, resolvedAt: later, terms: sql`to_tsvector('simple', ${AWKWARD_TEXT})` });

  await db.insert(t.timelineEvents).values({
    ticketId: incident.id,
    type: 'work_note',
    actorId: agent.id,
    at: later,
    internal: true,
    body: AWKWARD_TEXT,
    changes: null,
    data: stored(AWKWARD_JSON),
  });
  // Last: a listed ticket is left out by every rollup trigger until a drain counts it.
  await db.insert(t.kpiPendingTickets).values({ ticketId: problem.id });
}
