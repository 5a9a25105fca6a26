import icalGenerator, { ICalCalendarMethod } from 'ical-generator';

/**
 * An incident meeting's invitation as RFC 5545 text (METHOD:REQUEST), the part a mail client
 * shows as "Accept / Decline". The same UID across changes, with a rising SEQUENCE, so a moved
 * meeting updates the invitation people already have instead of adding a second one.
 */
export interface MeetingInvitation {
  meetingId: string;
  title: string;
  startsAt: string;
  durationMinutes: number;
  link: string | null;
  sequence: number;
  ticketNumber: string;
  description: string;
}

export function invitationIcs(
  invitation: MeetingInvitation,
  attendee: { email: string; name: string },
  organiserEmail: string,
  now: Date,
): string {
  const calendar = icalGenerator({
    prodId: { company: 'Firebreak', product: 'incident-meetings', language: 'EN' },
    method: ICalCalendarMethod.REQUEST,
  });
  const start = new Date(invitation.startsAt);
  calendar.createEvent({
    id: `meeting-${invitation.meetingId}@firebreak`,
    sequence: invitation.sequence,
    start,
    end: new Date(start.getTime() + invitation.durationMinutes * 60_000),
    stamp: now,
    summary: `${invitation.ticketNumber}: ${invitation.title}`,
    description: invitation.description,
    location: invitation.link ?? undefined,
    url: invitation.link ?? undefined,
    organizer: { name: 'Firebreak', email: organiserEmail },
    attendees: [{ email: attendee.email, name: attendee.name, rsvp: true }],
  });
  return calendar.toString();
}
