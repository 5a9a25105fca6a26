import type { InboundEmailT } from '../api/types';

/** What a received mail did, in words, with the badge tone that tells good from ignored at a glance. */
export const OUTCOMES: Record<InboundEmailT['outcome'], { label: string; tone: string }> = {
  ticket_created: { label: 'New ticket', tone: 'sla-met' },
  comment_added: { label: 'Reply added', tone: 'sla-met' },
  ignored: { label: 'Ignored', tone: 'sla-warning' },
  duplicate: { label: 'Copy of an earlier mail', tone: 'sla-paused' },
  refused: { label: 'Refused', tone: 'sla-breached' },
};

/** The reason codes the server puts before an ignored mail's note (core/email-intake.ts), in words. */
const REASONS: Record<string, string> = {
  null_sender: 'Bounce or auto-reply',
  mailer_daemon: 'Mail-system message',
  auto_submitted: 'Automatic mail',
  precedence: 'Bulk or list mail',
  autoreply_header: 'Auto-reply',
  mailing_list: 'Mailing-list mail',
  delivery_report: 'Delivery report',
  own_address: 'Sent by Firebreak itself',
  no_sender: 'No sender',
  sender_deactivated: 'Sender’s account deactivated',
};

/** "auto_submitted: Auto-Submitted: auto-replied" → "Automatic mail — Auto-Submitted: auto-replied". */
export function noteInWords(note: string): string {
  const match = /^([a-z_]+): (.*)$/s.exec(note);
  const reason = match ? REASONS[match[1]] : undefined;
  return reason && match ? `${reason} — ${match[2]}` : note;
}

export function OutcomeBadge({ outcome }: { outcome: InboundEmailT['outcome'] }) {
  const { label, tone } = OUTCOMES[outcome];
  return <span className={`badge ${tone}`}>{label}</span>;
}
