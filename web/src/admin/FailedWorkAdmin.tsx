import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { Banner, Button, EmptyState, Loading, PageHeader, When } from '../ui/kit';
import { ErrorNote } from './ErrorNote';
import { useSave } from './useSave';

interface FailedJobT {
  id: string;
  kind: string;
  attempts: number;
  lastError: string | null;
  finishedAt: string | null;
  ticketId: string | null;
  ticketNumber: string | null;
  delivery: { channel: string; address: string; subject: string } | null;
}

/** The job kinds (server/src/jobs/registry.ts) in words. */
const KINDS: Record<string, string> = {
  'notification.deliver': 'Notification',
  'notification.digest': 'Update mail to a requester',
  'sla.check': 'SLA timer',
  'page.timeout': 'Paging step',
  'check.run': 'Built-in check probe',
  'alert.resolve_ticket': 'Resolving a ticket after its alerts',
  'ticket.auto_close': 'Closing a resolved ticket',
};

function describe(job: FailedJobT): string {
  const { delivery } = job;
  if (delivery?.channel === 'email') return `E-mail to ${delivery.address}: ${delivery.subject}`;
  if (delivery?.channel === 'webhook') return `Webhook: ${delivery.subject}`;
  return KINDS[job.kind] ?? job.kind;
}

/**
 * What the background work could not do: deliveries and timers that failed on every attempt,
 * or that cannot run as Firebreak is set up. After fixing the cause, the admin runs them again;
 * nothing parked here is lost.
 */
export function FailedWorkAdmin() {
  const failed = useQuery({
    queryKey: ['failed-work'],
    queryFn: () => api<{ items: FailedJobT[] }>('GET', '/jobs/dead?limit=500'),
  });
  const save = useSave(['failed-work']);
  const [done, setDone] = useState<number | null>(null);
  const items = failed.data?.items ?? [];
  const retry = async (body: { ids: string[] } | { all: true }) => {
    const result = await save.save<{ retried: string[] }>('POST', '/jobs/dead/retry', body);
    if (result) setDone(result.retried.length);
  };
  return (
    <div className="stack">
      <PageHeader title="Failed work">
        <Button onClick={() => failed.refetch()} busy={failed.isRefetching}>
          Refresh
        </Button>
        {items.length > 0 && (
          <Button tone="primary" busy={save.busy} onClick={() => retry({ all: true })}>
            Run all again
          </Button>
        )}
      </PageHeader>
      <p className="muted">
        Deliveries and timers that failed on every attempt, or cannot run as Firebreak is set up (such as mail while FIREBREAK_SMTP_URL is
        not set). Fix the cause, then run them again: a notification already sent is never sent twice.
      </p>
      {done !== null && (
        <Banner tone="success" title={done === 1 ? '1 job runs again now' : `${done} jobs run again now`}>
          If one fails again, it comes back here with its new reason.
        </Banner>
      )}
      <ErrorNote error={save.error ?? failed.error} />
      {failed.isPending ? (
        <Loading what="failed work" />
      ) : items.length === 0 ? (
        <EmptyState title="Nothing failed for good">
          Deliveries and timers that fail are retried with growing pauses; only what failed every time is listed here.
        </EmptyState>
      ) : (
        <table className="data card failed-work">
          <thead>
            <tr>
              <th scope="col">Failed</th>
              <th scope="col">What</th>
              <th scope="col">Ticket</th>
              <th scope="col">Attempts</th>
              <th scope="col">Why</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((job) => (
              <tr key={job.id}>
                <td>{job.finishedAt ? <When at={job.finishedAt} /> : '—'}</td>
                <td className="inbound-subject">{describe(job)}</td>
                <td>{job.ticketId ? <Link to={`/desk/tickets/${job.ticketId}`}>{job.ticketNumber ?? 'the ticket'}</Link> : '—'}</td>
                <td>{job.attempts}</td>
                <td className="inbound-subject">{job.lastError ?? '—'}</td>
                <td>
                  <Button busy={save.busy} onClick={() => retry({ ids: [job.id] })}>
                    Run again<span className="visually-hidden"> {describe(job)}</span>
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
