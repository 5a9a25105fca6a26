import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { humanMessage } from '../api/client';
import * as kbApi from '../api/endpoints/knowledge';
import * as problemApi from '../api/endpoints/problems';
import { useApiMutation } from '../api/mutation';
import { ArticleBody, Highlighted } from '../knowledge/ArticleParts';
import { useDebounced } from '../knowledge/useDebounced';
import { Banner, Button, Loading } from '../ui/kit';

/**
 * Deflection (issue 17 item 7): while a requester describes their problem, the known errors of
 * the chosen service (or matching their words) and the most relevant published articles appear
 * beside the form. A known error shows only the workaround staff wrote for requesters. Opening an
 * article shows it here (the report stays as typed); "This solved it" — on an article or on a
 * known error's workaround — counts on that article or problem and ends without a ticket.
 */
export function SuggestedArticles({ text, serviceId }: { text: string; serviceId?: string }) {
  const navigate = useNavigate();
  const q = useDebounced(text.trim(), 400);
  const hits = useQuery({
    queryKey: ['articles', 'suggest', q],
    queryFn: ({ signal }) => kbApi.search(q, 3, signal),
    enabled: q.length >= 3,
    placeholderData: (previous) => previous,
  });
  const knownQ = q.length >= 3 ? q : '';
  const known = useQuery({
    queryKey: ['known-errors', 'for-report', knownQ, serviceId ?? ''],
    queryFn: ({ signal }) => problemApi.forReport(knownQ, serviceId, signal),
    enabled: Boolean(knownQ || serviceId),
    placeholderData: (previous) => previous,
  });
  const knownItems = knownQ || serviceId ? (known.data?.items ?? []) : [];
  const [openId, setOpenId] = useState<string | null>(null);
  const article = useQuery({ queryKey: ['articles', 'one', openId], queryFn: () => kbApi.get(openId as string), enabled: Boolean(openId) });
  const solved = useApiMutation({ mutationFn: (id: string) => kbApi.solved(id) });
  const knownSolved = useApiMutation({ mutationFn: (id: string) => problemApi.solvedKnownError(id) });
  const items = q.length >= 3 ? (hits.data?.items ?? []) : [];

  if (openId) {
    return (
      <aside className="card kb-suggest" aria-label="Article that may help">
        <Button tone="ghost" onClick={() => setOpenId(null)}>
          ← Back to suggestions
        </Button>
        {solved.error ? <Banner tone="danger">{humanMessage(solved.error)}</Banner> : null}
        {article.error ? <Banner tone="danger">{humanMessage(article.error)}</Banner> : null}
        {!article.data ? (
          <Loading what="the article" />
        ) : (
          <>
            <h2>{article.data.title}</h2>
            <ArticleBody html={article.data.html} />
            <div className="form-actions">
              <Button
                tone="primary"
                busy={solved.busy}
                onClick={async () => {
                  const done = await solved.run(article.data.id);
                  if (done) navigate('/portal', { state: { solvedBy: done.title } });
                }}
              >
                This solved it
              </Button>
              <Button onClick={() => setOpenId(null)}>It didn’t — back to my report</Button>
            </div>
          </>
        )}
      </aside>
    );
  }
  return (
    <aside className="card kb-suggest" aria-labelledby="kb-suggest-title" aria-live="polite">
      {knownItems.length > 0 ? (
        <section aria-labelledby="known-error-suggest-title" className="known-error-suggest">
          <h2 id="known-error-suggest-title">Known problems — try this first</h2>
          <ul className="plain-list kb-list" data-testid="known-error-suggestions">
            {knownItems.map((k) => (
              <li key={k.id}>
                <p className="muted">
                  {k.serviceName ? `A known problem with ${k.serviceName}. Until it is fixed:` : 'A known problem. Until it is fixed:'}
                </p>
                <p className="known-error-workaround">{k.workaround}</p>
                <Button
                  busy={knownSolved.busy}
                  aria-label={k.serviceName ? `This solved it — the workaround for ${k.serviceName}` : 'This solved it — the workaround'}
                  onClick={async () => {
                    if (await knownSolved.run(k.id)) navigate('/portal', { state: { solvedByWorkaround: k.serviceName } });
                  }}
                >
                  This solved it
                </Button>
              </li>
            ))}
          </ul>
          {knownSolved.error ? <Banner tone="danger">{humanMessage(knownSolved.error)}</Banner> : null}
        </section>
      ) : null}
      <h2 id="kb-suggest-title">Articles that may help</h2>
      {items.length === 0 ? (
        <p className="muted">As you describe the problem, articles that may solve it appear here.</p>
      ) : (
        <ul className="plain-list kb-list">
          {items.map((h) => (
            <li key={h.id}>
              <button type="button" className="link-button" onClick={() => setOpenId(h.id)}>
                <Highlighted parts={h.titleParts} />
              </button>
              <p className="muted">
                <Highlighted parts={h.excerpt} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
