import { useState } from 'react';
import { Link } from 'react-router';
import * as monitoringApi from '../api/endpoints/monitoring';
import { keys } from '../api/keys';
import { useFailedWork, useUnsentMail } from '../api/monitoring-hooks';
import { useApiMutation } from '../api/mutation';
import type { FailedJobT } from '../api/types';
import { Banner, Button, EmptyState, Loading, PageHeader, When } from '../ui/kit';
import { ErrorNote } from './ErrorNote';

/** The job kinds (JOB_KINDS in server/src/jobs/job-spec.ts; one spec each in server/src/jobs/specs) in words. */
const KINDS: Record<string, string> = {
  'notification.deliver': 'Notification',
  'notification.digest': 'Update mail to a requester',
  'sla.check': 'SLA timer',
  'page.timeout': 'Paging step',
  'page.held': 'Paging on-call for a held P1',
  'check.run': 'Built-in check probe',
  'alert.resolve_ticket': 'Resolving a ticket after its alerts',
  'ticket.auto_close': 'Closing a resolved ticket',
  'attachment.sweep_parts': 'Clearing unfinished uploads',
};

function describe(job: FailedJobT): string {
  const { delivery } = job;
  if (delivery?.channel === 'email') return `E-mail to ${delivery.address}: ${delivery.subject}`;
  if (delivery?.channel === 'webhook') return `Webhook: ${delivery.subject}`;
  return KINDS[job.kind] ?? job.kind;
}

/** Failed work is read a page at a time: hundreds of rows would bury the newest problem. */
const PAGE_SIZE = 50;

/**
 * What the background work could not do: deliveries and timers that failed on every attempt.
 * After fixing the cause, the admin runs them again; nothing parked here is lost. Mails not sent
 * because e-mail out is off are not failures: they are one line, not rows.
 */
export function FailedWorkAdmin() {
  const failed = useFailedWork(PAGE_SIZE);
  const save = useApiMutation({
    mutationFn: monitoringApi.retryFailedWork,
    invalidates: [keys.monitoring.failedWork, keys.monitoring.unsentMail],
  });
  const [done, setDone] = useState<number | null>(null);
  const items = failed.data?.pages.flatMap((p) => p.items) ?? [];
  const retry = async (body: { ids: string[] } | { all: true }) => {
    const result = await save.run(body);
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
        Deliveries and timers that failed on every attempt, oldest first. Fix the cause, then run them again: a notification already sent is
        never sent twice.
      </p>
      <UnsentMail />
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
        <>
          <ul className="plain-list failed-work">
            {items.map((job) => (
              <li key={job.id} className="card failed-job">
                <div className="failed-job-what">
                  <strong className="inbound-subject">{describe(job)}</strong>
                  <span className="muted">
                    {job.ticketId ? <Link to={`/desk/tickets/${job.ticketId}`}>{job.ticketNumber ?? 'the ticket'}</Link> : 'No ticket'}
                    {' · '}
                    {job.attempts === 1 ? '1 attempt' : `${job.attempts} attempts`}
                    {job.finishedAt && (
                      <>
                        {' · failed '}
                        <When at={job.finishedAt} />
                      </>
                    )}
                  </span>
                  <span className="inbound-subject">{job.lastError ?? 'No reason was recorded.'}</span>
                </div>
                <Button busy={save.busy} onClick={() => retry({ ids: [job.id] })}>
                  Run again<span className="visually-hidden"> {describe(job)}</span>
                </Button>
              </li>
            ))}
          </ul>
          {failed.hasNextPage && (
            <Button onClick={() => failed.fetchNextPage()} busy={failed.isFetchingNextPage}>
              Show more
            </Button>
          )}
        </>
      )}
    </div>
  );
}

/**
 * Mails kept unsent while e-mail out was off, as one line. With e-mail out still off it only says
 * so (people were told in the app); once it is on, the admin may send them (they may be old news).
 */
function UnsentMail() {
  const unsent = useUnsentMail();
  const save = useApiMutation({ mutationFn: monitoringApi.sendUnsentMail, invalidates: [keys.monitoring.unsentMail] });
  const [queued, setQueued] = useState<number | null>(null);
  if (queued !== null) {
    return (
      <Banner tone="success" title={queued === 1 ? '1 mail is being sent' : `${queued} mails are being sent`}>
        A mail that cannot be delivered comes back here with its reason.
      </Banner>
    );
  }
  const n = unsent.data?.count ?? 0;
  if (n === 0) return null;
  const mails = n === 1 ? '1 mail was' : `${n.toLocaleString('en')} mails were`;
  if (!unsent.data?.emailOut) {
    return (
      <p className="muted">
        E-mail out is off, so {mails} not sent; people were told in the app instead, and each ticket’s delivery log lists them. To send
        e-mail, set FIREBREAK_SMTP_URL and restart Firebreak; these can then be sent from here.
      </p>
    );
  }
  return (
    <Banner
      title={`${mails} not sent because e-mail out was off`}
      action={
        <Button
          busy={save.busy}
          onClick={async () => {
            const result = await save.run();
            if (result) setQueued(result.queued);
          }}
        >
          {n === 1 ? 'Send it now' : 'Send them now'}
        </Button>
      }
    >
      {n === 1
        ? 'E-mail out is on now. It may be old news: send it only if its reader should still get it.'
        : 'E-mail out is on now. They may be old news: send them only if people should still get them.'}
      <ErrorNote error={save.error} />
    </Banner>
  );
}
