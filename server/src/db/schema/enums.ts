import { pgEnum } from 'drizzle-orm/pg-core';
import {
  CHANNELS,
  ON_HOLD_REASONS,
  RESOLUTION_CODES,
  ROLES,
  SCOPES,
  TICKET_KINDS,
  TICKET_STATES,
  TIMELINE_EVENT_TYPES,
} from '../../../../core/vocabulary.js';

export const roleEnum = pgEnum('role', ROLES);
export const ticketKindEnum = pgEnum('ticket_kind', TICKET_KINDS);
export const ticketStateEnum = pgEnum('ticket_state', TICKET_STATES);
export const channelEnum = pgEnum('channel', CHANNELS);
export const scopeEnum = pgEnum('scope', SCOPES);
export const onHoldReasonEnum = pgEnum('on_hold_reason', ON_HOLD_REASONS);
export const resolutionCodeEnum = pgEnum('resolution_code', RESOLUTION_CODES);
export const timelineEventTypeEnum = pgEnum('timeline_event_type', TIMELINE_EVENT_TYPES);
