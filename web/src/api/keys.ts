/**
 * Every query's key, in one tree: each query reads with one of these and each write invalidates
 * with one of these, so a write cannot miss what it changed by spelling a key differently. A key
 * is a prefix of the keys below it: invalidating `keys.tickets.all` reads every queue again.
 */
export const keys = {
  me: ['me'] as const,
  /** How this server signs people in (single sign-on, passwords): the sign-in page reads it. */
  signInOptions: ['sign-in-options'] as const,
  features: ['features'] as const,
  savedViews: ['saved-views'] as const,
  tickets: {
    /** Every queue, search and portal list. */
    all: ['tickets'] as const,
    list: (params: Record<string, string>) => ['tickets', params] as const,
  },
  /** One ticket and what hangs off it. The SLA, pages and alerts are read again for each version. */
  ticket: {
    row: (id: string) => ['ticket', id] as const,
    timeline: (id: string) => ['timeline', id] as const,
    /** Under the timeline: a mailed reply that lands on the timeline refreshes this too. */
    emails: (id: string) => ['timeline', id, 'emails'] as const,
    /** Under the timeline too: everything that completes an incident is recorded there. */
    completion: (id: string) => ['timeline', id, 'completion'] as const,
    /** The post-incident review: drafting and moving it are timeline events too. */
    review: (id: string) => ['timeline', id, 'review'] as const,
    attachments: (id: string) => ['attachments', id] as const,
    sla: (id: string, version: number) => ['ticket-sla', id, version] as const,
    alerts: (id: string, version: number) => ['ticket-alerts', id, version] as const,
    /** Parent, survivor, children and affected people: linking or unlinking bumps the parent's version. */
    links: (id: string, version: number) => ['ticket-links', id, version] as const,
    /**
     * A major incident's response (roles, investigations, tasks, meetings): under the timeline,
     * since every change to it is a timeline event, so the live stream's announcement refreshes it.
     */
    response: (id: string) => ['timeline', id, 'response'] as const,
    responsePart: (id: string, part: 'roles' | 'investigations' | 'tasks' | 'meetings') => ['timeline', id, 'response', part] as const,
  },
  incidentOwnership: ['incident-ownership'] as const,
  incidentRoles: ['incident-roles'] as const,
  myIncidentRoles: ['my-incident-roles'] as const,
  pages: {
    all: ['pages'] as const,
    ofTicket: (ticketId: string) => ['pages', ticketId] as const,
    ofTicketAt: (ticketId: string, version: number) => ['pages', ticketId, version] as const,
    detail: (pageId: string) => ['page', pageId] as const,
  },
  notifications: ['in-app-notifications'] as const,
  /** Storm proposals waiting for the desk (issue 14): read again on every `storm` announcement. */
  stormProposals: ['storm-proposals'] as const,
  stormSettings: ['storm-settings'] as const,
  stormPolicies: ['storm-policies'] as const,
  /** The learned router's state and evaluation (issue 18). */
  routingModel: ['routing-model'] as const,
  routingSettings: ['routing-settings'] as const,
  /** Planned maintenance windows (issue 15 #7). */
  maintenance: ['maintenance'] as const,
  satisfaction: (ticketId: string) => ['satisfaction', ticketId] as const,
  knownIssues: {
    all: ['known-issues'] as const,
    list: (serviceId?: string) => ['known-issues', serviceId ?? 'all'] as const,
    view: (id: string) => ['known-issue', id] as const,
  },
  followed: ['followed-tickets'] as const,
  users: {
    all: ['users'] as const,
    list: (params: Record<string, string | undefined>) => ['users', params] as const,
    search: (q: string) => ['people-search', q] as const,
    one: (id: string) => ['user', id] as const,
  },
  teams: ['teams'] as const,
  apiTokens: ['api-tokens'] as const,
  services: ['services'] as const,
  categories: ['categories'] as const,
  priorityMatrix: ['priority-matrix'] as const,
  completionChecklists: ['completion-checklists'] as const,
  calendars: ['business-calendars'] as const,
  slaPolicies: ['sla-policies'] as const,
  onCall: {
    schedules: ['schedules'] as const,
    policies: ['escalation-policies'] as const,
    requesterP1Paging: ['requester-p1-paging'] as const,
    overrides: { all: ['overrides'] as const, of: (scheduleId: string) => ['overrides', scheduleId] as const },
    now: { all: ['on-call-now'] as const, of: (scheduleId: string) => ['on-call-now', scheduleId] as const },
    rota: { all: ['rota'] as const, of: (scheduleId: string, from: string) => ['rota', scheduleId, from] as const },
  },
  monitoring: {
    checks: ['checks'] as const,
    checkResults: {
      all: ['check-results'] as const,
      of: (checkId: string, lastRunAt: string | null) => ['check-results', checkId, lastRunAt] as const,
    },
    alerts: (latestRun: string) => ['alerts', latestRun] as const,
    integrations: ['integrations'] as const,
    refusedDeliveries: (integrationId?: string) => ['refused-alert-deliveries', integrationId] as const,
    inboundEmails: ['inbound-emails'] as const,
    failedWork: ['failed-work'] as const,
    unsentMail: ['unsent-mail'] as const,
  },
};

/** After a ticket changes: its page, its timeline and every queue that may list it. */
export const ticketChanged = (id: string) => [keys.ticket.row(id), keys.ticket.timeline(id), keys.tickets.all] as const;
