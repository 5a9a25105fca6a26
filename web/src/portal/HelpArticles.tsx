import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearchParams } from 'react-router';
import { humanMessage } from '../api/client';
import * as kbApi from '../api/endpoints/knowledge';
import { useCategories, useServices } from '../api/hooks';
import { Highlighted } from '../knowledge/ArticleParts';
import { useDebounced } from '../knowledge/useDebounced';
import { Banner, EmptyState, Field, Loading, PageHeader, When } from '../ui/kit';

type Found = { kind: 'hits'; hits: kbApi.ArticleHitT[] } | { kind: 'list'; list: kbApi.ArticleSummaryT[] };

/**
 * `/portal/articles`: the knowledge base as requesters see it (issue 17) — published articles for
 * everyone, browsed by service and category, searched with the desk's ranked search. Filters live
 * in the address, so Back from an article returns to the same list.
 */
export function HelpArticles() {
  const [params, setParams] = useSearchParams();
  // The article's "← Help articles" returns to this list as filtered now.
  const back = { helpSearch: useLocation().search };
  const text = params.get('q') ?? '';
  const serviceId = params.get('service') ?? '';
  const categoryId = params.get('category') ?? '';
  const services = useServices();
  const categories = useCategories();
  const q = useDebounced(text.trim(), 300);
  const searching = q.length > 0;
  const browse = { serviceId: serviceId || undefined, categoryId: categoryId || undefined };
  const found = useQuery<Found>({
    queryKey: ['articles', 'portal', q, serviceId, categoryId],
    queryFn: ({ signal }) =>
      searching
        ? kbApi.searchWithin(q, browse, signal).then((r) => ({ kind: 'hits' as const, hits: r.items }))
        : kbApi.browse(browse, signal).then((r) => ({ kind: 'list' as const, list: r.items })),
    placeholderData: (previous) => previous,
  });
  const set = (name: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const topServices = (services.data?.items ?? []).filter((s) => s.parentId === null && s.visibleToRequesters);
  const topCategories = (categories.data?.items ?? []).filter((c) => c.parentId === null);
  const count = found.data ? (found.data.kind === 'hits' ? found.data.hits.length : found.data.list.length) : 0;

  return (
    <div className="stack narrow help-articles">
      <p>
        <Link to="/portal">← Portal</Link>
      </p>
      <PageHeader title="Help articles" />
      <p className="muted">
        Answers from the service desk. Can’t find yours? <Link to="/portal/report">Report a problem</Link>.
      </p>
      <search className="card help-filters" aria-label="Find help articles">
        <Field label="Search">
          {(p) => (
            <input
              {...p}
              type="search"
              value={text}
              maxLength={500}
              placeholder="e.g. vpn certificate"
              onChange={(e) => set('q', e.target.value)}
            />
          )}
        </Field>
        <div className="help-filter-row">
          <Field label="Service">
            {(p) => (
              <select {...p} value={serviceId} onChange={(e) => set('service', e.target.value)}>
                <option value="">All services</option>
                {topServices.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Category">
            {(p) => (
              <select {...p} value={categoryId} onChange={(e) => set('category', e.target.value)}>
                <option value="">All categories</option>
                {topCategories.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </search>
      {found.error ? <Banner tone="danger">{humanMessage(found.error)}</Banner> : null}
      {!found.data ? (
        <Loading what="the articles" />
      ) : count === 0 ? (
        <EmptyState title={searching ? 'No article matches these words' : 'No article here yet'}>
          <p className="muted">Try other words, or all services and categories.</p>
        </EmptyState>
      ) : (
        <section className="card" aria-labelledby="help-results-title" aria-live="polite">
          <h2 id="help-results-title">
            {searching
              ? `${count} ${count === 1 ? 'article matches' : 'articles match'}`
              : `${count} ${count === 1 ? 'article' : 'articles'}`}
          </h2>
          <ul className="plain-list kb-list" data-testid="help-articles">
            {found.data.kind === 'hits'
              ? found.data.hits.map((h) => (
                  <li key={h.id}>
                    <Link to={`/portal/articles/${h.id}`} state={back}>
                      <Highlighted parts={h.titleParts} />
                    </Link>
                    <p className="muted">
                      <Highlighted parts={h.excerpt} />
                    </p>
                  </li>
                ))
              : found.data.list.map((a) => (
                  <li key={a.id}>
                    <Link to={`/portal/articles/${a.id}`} state={back}>
                      {a.title}
                    </Link>
                    <p className="muted">
                      Updated <When at={a.updatedAt} />
                    </p>
                  </li>
                ))}
          </ul>
        </section>
      )}
    </div>
  );
}
