import type { Level, OnHoldReason, ResolutionCode, TicketKind } from '../../../core/vocabulary.js';
import type { TeamKey } from './demo-people.js';

/**
 * One kind of ticket the desk sees again and again, with the words people use for it. Texts may
 * use {first} (the requester's first name), {site}, {asset} (a laptop tag), {room} and {agent}
 * (the assignee's first name); the story planner fills them in.
 */
export interface TicketText {
  kind: TicketKind;
  title: string;
  description: string;
  /** A category path from the catalog, e.g. `Network/VPN & Remote Access`. */
  category: string;
  service: string | null;
  /** The team that ends up fixing it; a ticket routed elsewhere is escalated there. */
  team: TeamKey;
  impact: Level;
  urgency: Level;
  /** Work notes in the order an engineer would write them. */
  notes: string[];
  /** What the work waits for when it is put on hold, and what the requester is told. */
  hold: [OnHoldReason, string];
  /** The requester's answer after that. */
  reply: string;
  resolution: [ResolutionCode, string];
  /** Raised by monitoring rather than by a person. */
  alert?: boolean;
  /** Only people at these sites report it (a warehouse problem does not come from head office). */
  sites?: string[];
}

export const ACKNOWLEDGEMENTS = [
  'Hi {first}, thanks for reporting this. I have picked it up and will update you here.',
  'Hello {first}, {agent} here from IT. I am looking into this now.',
  'Thanks {first}. This is with me; I will let you know as soon as I know more.',
  'Hi {first}, got it. I am on this and will keep you posted.',
  'Hi {first}, thanks for the detail, that helps. Working on it now.',
];

export const REQUESTER_FOLLOW_UPS = [
  'Any update on this? It is still happening.',
  'Just checking in: is someone looking at this?',
  'This is getting urgent for us, we have a deadline this afternoon.',
  'Still the same this morning, in case that helps.',
  'I am at my desk all day if you want to see it for yourself.',
];

export const THANKS = [
  'Thank you, all working again!',
  'Confirmed, that fixed it. Thanks for the quick help.',
  'Yes, all good now. Much appreciated.',
  'Works for me, thanks {agent}.',
  'Great, thank you. You can close this.',
];

export const CLOSING_WITHOUT_REPLY =
  'Closing: no reply to the resolution for three days, so we take it that the fix holds. If the problem returns, please report a new ticket and mention this one.';

export const REOPEN_REASONS = [
  'It worked for a day but the problem is back this morning.',
  'Sorry, this is happening again since the restart.',
  'Not fixed for me: still the same problem when I try again.',
];

export const SECOND_FIXES = [
  'The first fix only cleared the symptom. Found the underlying cause, corrected it and confirmed with {first} over a call.',
  'Reapplied the fix and this time also cleared the cached settings that brought the old behaviour back; {first} confirmed.',
  'It came back because an overnight policy reapplied the old setting. Removed that policy assignment and verified the next morning.',
];

export const CANCEL_REASONS: [string, 'requester' | 'desk'][] = [
  ['Please ignore, it started working again after a restart.', 'requester'],
  ['Sorry, raised this twice by mistake.', 'requester'],
  ['No longer needed, the project was cancelled.', 'requester'],
  ['Duplicate: the same problem is already being worked on in another ticket from {first}.', 'desk'],
  ['Raised in error: this is a facilities matter (building access), passed to the facilities team.', 'desk'],
  ['The requester confirmed by phone that this is no longer needed.', 'desk'],
];

/** Why an agent raised a priority above what the matrix gave. */
export const RAISE_REASONS = [
  'Board pack is due today; the CFO’s office depends on this.',
  'Affects a customer shipment leaving at 16:00.',
  'VIP: the regional managing director is travelling tomorrow.',
  'Auditors are on site this week and need this working.',
];

/** Why an agent lowered it. */
export const LOWER_REASONS = [
  'Requester can work around it fully with a loan laptop; lowering.',
  'Only affects a test account; lowering until the real cases are done.',
  'Requester is on leave until next week and asked us not to rush.',
];

export const ESCALATION_NOTES = [
  'Checked the basics with {first} (restart, cable, sign-out and in); not a first-line fix. Escalating to {team}.',
  'Reproduced it from the desk. Needs {team}: passing it on with what I found.',
  'Outside what the desk can change. Assigning to {team} with the steps already tried.',
  'Confirmed with {first} by phone. This needs {team}; escalating.',
];

/** A request is not diagnosed, it is passed to whoever fulfils it. */
export const REQUEST_ROUTING_NOTES = [
  'Request is complete and approved where needed. Passing to {team} to fulfil.',
  'Checked the details with {first}. {team} fulfils this; assigning.',
  'Standard request, nothing for the desk to do here. Over to {team}.',
];
