import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ARTICLE_AUDIENCE_LABELS, ARTICLE_STATE_LABELS, ARTICLE_STATES, type ArticleState } from '../../../core/knowledge-base';
import { humanMessage } from '../api/client';
import * as kbApi from '../api/endpoints/knowledge';
import { Highlighted } from '../knowledge/ArticleParts';
import { useDebounced } from '../knowledge/useDebounced';
import { Banner, ButtonLink, EmptyState, Loading, PageHeader } from '../ui/kit';

/** The desk's knowledge base: every article (drafts, published, retired), searched or listed, with its counts. */
export default function KnowledgeBase() {
  const [q, setQ] = useState('');
  const [state, setState] = useState<ArticleState | ''>('');
  const query = useDebounced(q.trim(), 250);
  const list = useQuery({ queryKey: ['articles', 'list', state], queryFn: () => kbApi.list(state || undefined), enabled: !query });
  const hits = useQuery({ queryKey: ['articles', 'search', query], queryFn: () => kbApi.search(query, 25), enabled: Boolean(query) });
  const error = query ? hits.error : list.error;
  return (
    <div className="stack">
      <PageHeader title="Knowledge base">
        <ButtonLink to="/desk/knowledge/new" tone="primary">
          New article
        </ButtonLink>
      </PageHeader>
      <div className="card row kb-filters">
        <label className="grow">
          <span className="visually-hidden">Search articles</span>
          <input type="search" placeholder="Search articles" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <label>
          <span className="visually-hidden">State</span>
          <select value={state} onChange={(e) => setState(e.target.value as ArticleState | '')} disabled={Boolean(query)}>
            <option value="">All states</option>
            {ARTICLE_STATES.map((s) => (
              <option key={s} value={s}>
                {ARTICLE_STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? <Banner tone="danger">{humanMessage(error)}</Banner> : null}
      <section className="card" aria-label="Articles">
        {query ? (
          !hits.data ? (
            <Loading what="the matches" />
          ) : hits.data.items.length === 0 ? (
            <EmptyState title="No article matches" />
          ) : (
            <ul className="plain-list kb-list">
              {hits.data.items.map((h) => (
                <li key={h.id}>
                  <Link to={`/desk/knowledge/${h.id}`}>
                    <Highlighted parts={h.titleParts} />
                  </Link>{' '}
                  <span className="badge">{ARTICLE_STATE_LABELS[h.state]}</span>
                  <p className="muted">
                    <Highlighted parts={h.excerpt} />
                  </p>
                  <Counts a={h} />
                </li>
              ))}
            </ul>
          )
        ) : !list.data ? (
          <Loading what="the articles" />
        ) : list.data.items.length === 0 ? (
          <EmptyState title="No articles yet">Write one, or start one from a resolved ticket.</EmptyState>
        ) : (
          <ul className="plain-list kb-list">
            {list.data.items.map((a) => (
              <li key={a.id}>
                <Link to={`/desk/knowledge/${a.id}`}>{a.title}</Link> <span className="badge">{ARTICLE_STATE_LABELS[a.state]}</span>{' '}
                <span className="muted">{ARTICLE_AUDIENCE_LABELS[a.audience]}</span>
                <Counts a={a} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function Counts({ a }: { a: { helpfulYes: number; helpfulNo: number; solvedCount: number } }) {
  return (
    <p className="muted kb-counts">
      <span data-testid="solved-count">Solved {a.solvedCount} without a ticket</span> · Helpful: {a.helpfulYes} yes, {a.helpfulNo} no
    </p>
  );
}
