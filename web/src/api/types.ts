import type { z } from 'zod';
import type {
  Alert,
  Check,
  CheckResult,
  CreateCheck,
  CreatedIntegration,
  CreateIntegration,
  Integration,
  PromoteDisturbance,
  RefusedAlertDelivery,
  UpdateCheck,
  UpdateIntegration,
} from '../../../core/contracts/alerts.js';
import type {
  ApiToken,
  ChangePassword,
  CreateApiToken,
  CreatedApiToken,
  Me,
  PasswordChanged,
  PasswordReset,
  ResetPassword,
  SignedOut,
  SignIn,
  SignInOptions,
  UpdateMe,
} from '../../../core/contracts/auth.js';
import type {
  Category,
  CreateCategory,
  CreateRequester,
  CreateService,
  CreateTeam,
  CreateUser,
  Service,
  Team,
  UpdateCategory,
  UpdateService,
  UpdateTeam,
  UpdateUser,
  User,
} from '../../../core/contracts/directory.js';
import type { Attachment, InboundEmail } from '../../../core/contracts/email.js';
import type * as MI from '../../../core/contracts/incident-response.js';
import type { DeadJob, RetryFailedWork } from '../../../core/contracts/jobs.js';
import type {
  CreateEscalationPolicy,
  CreateOverride,
  CreatePage,
  CreateSchedule,
  EscalationPolicyBody,
  InAppNotificationBody,
  MarkRead,
  OnCallBody,
  OverrideBody,
  PageBody,
  PageDetailBody,
  RequesterP1PagingBody,
  ScheduleBody,
  ShiftsBody,
  UpdateEscalationPolicy,
  UpdateSchedule,
} from '../../../core/contracts/on-call.js';
import type { SavedView, SaveView } from '../../../core/contracts/saved-views.js';
import type {
  BusinessCalendarBody,
  CreateBusinessCalendar,
  CreateSlaPolicy,
  SlaPolicyBody,
  TicketSlaTargetBody,
  UpdateBusinessCalendar,
  UpdateSlaPolicy,
} from '../../../core/contracts/sla.js';
import type { Features } from '../../../core/contracts/system.js';
import type {
  AddComment,
  CreateTicket,
  Escalate,
  FollowedTicket,
  KnownIssue,
  KnownIssueView,
  PriorityMatrixBody,
  Ticket,
  TimelineEvent,
  Transition,
  UpdateTicket,
} from '../../../core/contracts/tickets.js';

// The web UI speaks the API's own contracts: the server's zod schemas, as types only. What the
// server answers is `z.infer` (the parsed output); what we send is `z.input` (before defaults and
// transforms), so a body of the wrong shape does not compile.

// Answers
export type MeT = z.infer<typeof Me>;
export type TicketT = z.infer<typeof Ticket>;
export type TimelineEventT = z.infer<typeof TimelineEvent>;
export type KnownIssueT = z.infer<typeof KnownIssue>;
export type KnownIssueViewT = z.infer<typeof KnownIssueView>;
export type FollowedTicketT = z.infer<typeof FollowedTicket>;
export type UserT = z.infer<typeof User>;
export type TeamT = z.infer<typeof Team>;
export type ServiceT = z.infer<typeof Service>;
export type CategoryT = z.infer<typeof Category>;
export type ApiTokenT = z.infer<typeof ApiToken>;
export type CreatedApiTokenT = z.infer<typeof CreatedApiToken>;
export type PasswordChangedT = z.infer<typeof PasswordChanged>;
export type PasswordResetT = z.infer<typeof PasswordReset>;
export type PriorityMatrixT = z.infer<typeof PriorityMatrixBody>;
export type SavedViewT = z.infer<typeof SavedView>;
export type AttachmentT = z.infer<typeof Attachment>;
export type InboundEmailT = z.infer<typeof InboundEmail>;
export type AlertT = z.infer<typeof Alert>;
export type CheckT = z.infer<typeof Check>;
export type CheckResultT = z.infer<typeof CheckResult>;
export type IntegrationT = z.infer<typeof Integration>;
export type CreatedIntegrationT = z.infer<typeof CreatedIntegration>;
export type RefusedDeliveryT = z.infer<typeof RefusedAlertDelivery>;
export type ScheduleT = z.infer<typeof ScheduleBody>;
export type OnCallT = z.infer<typeof OnCallBody>;
export type ShiftsT = z.infer<typeof ShiftsBody>;
export type OverrideT = z.infer<typeof OverrideBody>;
export type EscalationPolicyT = z.infer<typeof EscalationPolicyBody>;
export type PageOfTicketT = z.infer<typeof PageBody>;
export type PageDetailT = z.infer<typeof PageDetailBody>;
export type InAppNotificationT = z.infer<typeof InAppNotificationBody>;
export type RequesterP1PagingT = z.infer<typeof RequesterP1PagingBody>;
export type BusinessCalendarT = z.infer<typeof BusinessCalendarBody>;
export type SlaPolicyT = z.infer<typeof SlaPolicyBody>;
export type SlaTargetT = z.infer<typeof TicketSlaTargetBody>;
export type PageT<T> = { items: T[]; nextCursor: string | null };
export type ListT<T> = { items: T[] };

// Requests
export type SignInIn = z.input<typeof SignIn>;
export type SignInOptionsT = z.infer<typeof SignInOptions>;
export type SignedOutT = z.infer<typeof SignedOut>;
export type UpdateMeIn = z.input<typeof UpdateMe>;
export type ChangePasswordIn = z.input<typeof ChangePassword>;
export type CreateApiTokenIn = z.input<typeof CreateApiToken>;
export type ResetPasswordIn = z.input<typeof ResetPassword>;
export type CreateTicketIn = z.input<typeof CreateTicket>;
export type UpdateTicketIn = z.input<typeof UpdateTicket>;
export type TransitionIn = z.input<typeof Transition>;
export type EscalateIn = z.input<typeof Escalate>;
export type AddCommentIn = z.input<typeof AddComment>;
export type PromoteIn = z.input<typeof PromoteDisturbance>;
export type PriorityMatrixIn = z.input<typeof PriorityMatrixBody>;
export type SaveViewIn = z.input<typeof SaveView>;
export type CreateUserIn = z.input<typeof CreateUser>;
export type UpdateUserIn = z.input<typeof UpdateUser>;
export type CreateRequesterIn = z.input<typeof CreateRequester>;
export type CreateTeamIn = z.input<typeof CreateTeam>;
export type UpdateTeamIn = z.input<typeof UpdateTeam>;
export type CreateServiceIn = z.input<typeof CreateService>;
export type UpdateServiceIn = z.input<typeof UpdateService>;
export type CreateCategoryIn = z.input<typeof CreateCategory>;
export type UpdateCategoryIn = z.input<typeof UpdateCategory>;
export type CreateCheckIn = z.input<typeof CreateCheck>;
export type UpdateCheckIn = z.input<typeof UpdateCheck>;
export type CreateIntegrationIn = z.input<typeof CreateIntegration>;
export type UpdateIntegrationIn = z.input<typeof UpdateIntegration>;
export type CreateScheduleIn = z.input<typeof CreateSchedule>;
export type UpdateScheduleIn = z.input<typeof UpdateSchedule>;
export type CreateOverrideIn = z.input<typeof CreateOverride>;
export type CreateEscalationPolicyIn = z.input<typeof CreateEscalationPolicy>;
export type UpdateEscalationPolicyIn = z.input<typeof UpdateEscalationPolicy>;
export type CreatePageIn = z.input<typeof CreatePage>;
export type MarkReadIn = z.input<typeof MarkRead>;
export type RequesterP1PagingIn = z.input<typeof RequesterP1PagingBody>;
export type CreateBusinessCalendarIn = z.input<typeof CreateBusinessCalendar>;
export type UpdateBusinessCalendarIn = z.input<typeof UpdateBusinessCalendar>;
export type CreateSlaPolicyIn = z.input<typeof CreateSlaPolicy>;
export type UpdateSlaPolicyIn = z.input<typeof UpdateSlaPolicy>;

/** GET /jobs/dead: background work that failed for good. */
export type FailedJobT = z.infer<typeof DeadJob>;
/** POST /jobs/dead/retry */
export type RetryFailedWorkIn = z.input<typeof RetryFailedWork>;
/** GET /features */
export type FeaturesT = z.infer<typeof Features>;

// Major incidents: links, merge, Me too, scope and ownership (core/contracts/major-incidents.ts).
export type TicketLinksT = z.infer<typeof import('../../../core/contracts/major-incidents.js').TicketLinks>;
export type TicketByNumberT = z.infer<typeof import('../../../core/contracts/major-incidents.js').TicketByNumber>;
export type MeTooResultT = z.infer<typeof import('../../../core/contracts/major-incidents.js').MeTooResult>;
export type LinkChildrenResultT = z.infer<typeof import('../../../core/contracts/major-incidents.js').LinkChildrenResult>;
export type IncidentOwnershipT = z.infer<typeof import('../../../core/contracts/major-incidents.js').IncidentOwnership>;
export type ChangeScopeIn = z.input<typeof import('../../../core/contracts/major-incidents.js').ChangeScope>;
// A major incident's response (issue 14): roles, investigations, tasks, meetings.
export type IncidentRoleT = z.infer<typeof MI.IncidentRole>;
export type CreateIncidentRoleIn = z.input<typeof MI.CreateIncidentRole>;
export type UpdateIncidentRoleIn = z.input<typeof MI.UpdateIncidentRole>;
export type RoleHoldingT = z.infer<typeof MI.RoleHolding>;
export type AssignRoleIn = z.input<typeof MI.AssignRole>;
export type ReleaseRoleIn = z.input<typeof MI.ReleaseRole>;
export type MyIncidentRoleT = z.infer<typeof MI.MyIncidentRole>;
export type InvestigationT = z.infer<typeof MI.Investigation>;
export type CreateInvestigationIn = z.input<typeof MI.CreateInvestigation>;
export type UpdateInvestigationIn = z.input<typeof MI.UpdateInvestigation>;
export type IncidentTaskT = z.infer<typeof MI.IncidentTask>;
export type CreateIncidentTaskIn = z.input<typeof MI.CreateIncidentTask>;
export type UpdateIncidentTaskIn = z.input<typeof MI.UpdateIncidentTask>;
export type MeetingT = z.infer<typeof MI.Meeting>;
export type CreateMeetingIn = z.input<typeof MI.CreateMeeting>;
export type UpdateMeetingIn = z.input<typeof MI.UpdateMeeting>;

// Major incidents: storm proposals and satisfaction (issue 14).
import type { RateTicket, StormPolicyList, StormProposal, StormSettingsBody, TicketSatisfaction } from '../../../core/contracts/storms.js';
export type StormProposalT = z.infer<typeof StormProposal>;
export type StormSettingsT = z.infer<typeof StormSettingsBody>;
export type StormPolicyListT = z.infer<typeof StormPolicyList>;
export type TicketSatisfactionT = z.infer<typeof TicketSatisfaction>;
export type RateTicketIn = z.input<typeof RateTicket>;

// Planned maintenance on the status page (issue 15 #7).
import type { CreateMaintenance, EditMaintenance, Maintenance } from '../../../core/contracts/maintenance.js';
export type MaintenanceT = z.infer<typeof Maintenance>;
export type CreateMaintenanceIn = z.input<typeof CreateMaintenance>;
export type EditMaintenanceIn = z.input<typeof EditMaintenance>;

// The learned router (issue 18, item 5).
import type { RoutingModelStatus, RoutingSettings, RoutingSuggestions } from '../../../core/contracts/routing.js';
export type RoutingModelStatusT = z.infer<typeof RoutingModelStatus>;
export type RoutingSettingsT = z.infer<typeof RoutingSettings>;
export type RoutingSuggestionsT = z.infer<typeof RoutingSuggestions>;
