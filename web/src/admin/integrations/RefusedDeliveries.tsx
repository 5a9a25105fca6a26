import { useRefusedDeliveries } from '../../api/monitoring-hooks';
import { Button, EmptyState, Loading, When } from '../../ui/kit';
import { ErrorNote } from '../ErrorNote';

const STATUS_WORDS: Record<number, string> = { 400: 'bad payload', 413: 'too large', 415: 'not JSON' };

/**
 * Why alerts are not arriving: deliveries this integration's token sent that were refused, with
 * what the sender was told and the start of what it sent. The excerpt is the sender's text —
 * anyone holding the token chose it — so it is only ever rendered as text, in a <pre>.
 */
export function RefusedDeliveries({ integrationId }: { integrationId: string }) {
  const pages = useRefusedDeliveries(integrationId);
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card" aria-labelledby="refused-title">
      <div className="row">
        <h3 id="refused-title">Refused deliveries</h3>
        <span className="spacer" />
        <Button onClick={() => pages.refetch()} busy={pages.isRefetching}>
          Refresh
        </Button>
      </div>
      <p className="muted">
        Deliveries with this integration’s token that were refused, newest first (the newest 1,000 are kept). Requests with a wrong or
        revoked token are not listed: they are only counted in the server log.
      </p>
      <ErrorNote error={pages.error} />
      {pages.isPending ? (
        <Loading what="refused deliveries" />
      ) : items.length === 0 ? (
        <EmptyState title="Nothing refused">Every delivery with this token was accepted.</EmptyState>
      ) : (
        <ul className="plain-list refusals">
          {items.map((r) => (
            <li key={r.id} className="refusal">
              <div className="row">
                <span className="badge sla-breached">
                  {r.status} {STATUS_WORDS[r.status] ?? ''}
                </span>
                <When at={r.receivedAt} />
                <span className="muted mono">
                  {r.contentType ?? 'no content type'}
                  {r.bodyBytes !== null ? ` · ${r.bodyBytes.toLocaleString()} bytes` : ''}
                </span>
              </div>
              <p className="refusal-reason">{r.reason}</p>
              {r.fieldErrors.length > 0 && (
                <ul className="refusal-fields">
                  {r.fieldErrors.map((e, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, never reordered
                    <li key={i}>
                      <code>{e.field}</code> {e.message}
                    </li>
                  ))}
                </ul>
              )}
              {r.bodyExcerpt === null ? (
                <p className="muted">The body was not read ({r.status === 413 ? 'too large' : 'not JSON'}), so none of it is kept.</p>
              ) : (
                <Excerpt text={r.bodyExcerpt} truncated={r.excerptTruncated} />
              )}
              <p className="muted mono refusal-id">request {r.requestId}</p>
            </li>
          ))}
        </ul>
      )}
      {pages.hasNextPage && (
        <Button onClick={() => pages.fetchNextPage()} busy={pages.isFetchingNextPage}>
          Show older
        </Button>
      )}
    </section>
  );
}

/** The sender's text, as text. A long one (up to 4 KiB) is folded so the list stays scannable. */
function Excerpt({ text, truncated }: { text: string; truncated: boolean }) {
  const body = (
    <pre className="excerpt">
      {text}
      {truncated && <span className="muted">{'\n'}… (only the first 4 KiB are kept)</span>}
    </pre>
  );
  if (text.length <= 600) return body;
  return (
    <details>
      <summary>Body received ({text.length.toLocaleString()} characters shown)</summary>
      {body}
    </details>
  );
}
