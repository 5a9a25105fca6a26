import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import * as api from '../../api/endpoints/stakeholder-updates';
import { dateTime } from '../../ui/format';

type Status = 'not_due' | 'due' | 'overdue';
export type DueUpdate = { nextDueAt: string; status: Status };

const WORDS: Record<Status, string> = { not_due: 'Next update due', due: 'Update due now', overdue: 'Update overdue' };
/** In a queue row, where the title needs the room. */
const SHORT: Record<Status, string> = { not_due: 'Update', due: 'Update due', overdue: 'Update overdue' };

/** When the next stakeholder update is due, in words and colour: on the incident and in the desk queue. */
export function UpdateDueBadge({ nextDueAt, status, short = false }: DueUpdate & { short?: boolean }) {
  const time = new Date(nextDueAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <span className={`badge update-badge update-${status}`} title={`${WORDS[status]}: ${dateTime(nextDueAt)}`} data-testid="update-due">
      {short ? `${SHORT[status]} ${time}` : `${WORDS[status]} · ${time}`}
    </span>
  );
}

/**
 * The open incidents with an update due, by ticket id, for the queue's badges: few rows (major
 * incidents only), read once a minute so "due" turns "overdue" without a reload.
 */
export function useUpdatesDue(): Map<string, DueUpdate> {
  const due = useQuery({ queryKey: ['stakeholder-updates-due'], queryFn: api.due, refetchInterval: 60_000 });
  return useMemo(() => new Map((due.data?.items ?? []).map((d) => [d.ticketId, d])), [due.data]);
}
