import type { TimelineEventT } from '../api/types';

/**
 * The war room's timeline views (issue 14): a major incident's timeline runs to hundreds of
 * entries; people look for the turning points, the decisions, or what was said to the world.
 */
export const TIMELINE_VIEWS = ['key', 'decisions', 'updates', 'all'] as const;
export type TimelineView = (typeof TIMELINE_VIEWS)[number];

export const TIMELINE_VIEW_LABELS: Record<TimelineView, string> = {
  key: 'Key events',
  decisions: 'Decisions',
  updates: 'Updates',
  all: 'Everything',
};

/** The turning points: how the incident moved, who took charge, what was found. */
const KEY_TYPES = new Set([
  'created',
  'state_changed',
  'major_declared',
  'scope_changed',
  'escalated',
  'page_triggered',
  'page_acknowledged',
  'page_exhausted',
  'role_assigned',
  'role_handed_over',
  'root_cause_recorded',
  'children_changed',
  'merged',
  'meeting_started',
  'meeting_ended',
  'promoted',
]);

function changes(event: TimelineEventT, field: string): boolean {
  return (event.changes ?? []).some((c) => c.field === field);
}

export function isDecision(event: TimelineEventT): boolean {
  switch (event.type) {
    case 'major_declared':
    case 'scope_changed':
    case 'root_cause_recorded':
    case 'escalated':
    case 'priority_overridden':
      return true;
    case 'meeting_updated':
      return event.data?.decisions === true;
    case 'investigation_updated':
      return event.data?.status !== event.data?.previousStatus && ['confirmed', 'ruled_out'].includes(String(event.data?.status));
    case 'state_changed':
      return Boolean(event.data?.checklistOverride);
    default:
      return false;
  }
}

/** What the world was told: public replies and final updates (never work notes). */
export function isUpdate(event: TimelineEventT): boolean {
  return (event.type === 'comment' && !event.internal) || event.type === 'stakeholder_update';
}

export function inView(event: TimelineEventT, view: TimelineView): boolean {
  switch (view) {
    case 'all':
      return true;
    case 'key':
      return KEY_TYPES.has(event.type) || (event.type === 'field_changed' && changes(event, 'priority'));
    case 'decisions':
      return isDecision(event);
    case 'updates':
      return isUpdate(event);
  }
}
