import type { TicketText } from './demo-texts.js';

/** Disturbances: noticed, not (yet) disrupting anyone; most are raised by monitoring. */
export const DISTURBANCE_TEXTS: TicketText[] = [
  {
    kind: 'disturbance',
    category: 'Data & Databases/Performance',
    service: 'PostgreSQL Cluster',
    team: 'database',
    impact: 3,
    urgency: 3,
    alert: true,
    title: 'Replica lag above 30 s on pg-replica-2 (recovered by itself)',
    description:
      'Monitoring saw replication lag on pg-replica-2 climb to 42 s for six minutes during the nightly batch, then recover. No user reports; reporting reads from replica 1.',
    notes: ['Lag lines up with the nightly batch write burst.', 'Watching the next two nights before changing anything.'],
    hold: ['awaiting_change', 'A WAL setting change is planned for the next change window.'],
    reply: 'Thanks for the heads-up.',
    resolution: ['no_fault_found', 'Lag stayed below 5 s for a week after the batch moved earlier; nothing to fix.'],
  },
  {
    kind: 'disturbance',
    category: 'Network/Wi-Fi',
    service: 'Wi-Fi',
    team: 'network',
    impact: 3,
    urgency: 3,
    title: 'Wi-Fi in {room} at {site} felt slow for a few minutes',
    description: 'Not blocking anything, just noting it: the Wi-Fi in {room} was sluggish around lunchtime and then fine again.',
    notes: ['Access point logs show a short burst of retries, no outage.'],
    hold: ['awaiting_requester', 'If it happens again, could you note the time and the device?'],
    reply: 'Will do, it has been fine since.',
    resolution: ['not_reproducible', 'Could not reproduce; the access point was fine for the rest of the week.'],
  },
];
