import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { humanMessage } from '../api/client';
import * as kbApi from '../api/endpoints/knowledge';
import { useApiMutation } from '../api/mutation';
import { ArticleBody } from '../knowledge/ArticleParts';
import { Banner, Button, Loading, PageHeader, When } from '../ui/kit';

/** `/portal/articles/:id`: a published article as a requester reads it (e.g. from a link in a reply), with "was this helpful?". */
export function ArticlePage() {
  const { id = '' } = useParams();
  // Opened from the help list: back to it as it was filtered (the filters live in its address).
  const helpSearch = (useLocation().state as { helpSearch?: string } | null)?.helpSearch ?? '';
  const client = useQueryClient();
  const article = useQuery({ queryKey: ['articles', 'one', id], queryFn: () => kbApi.get(id) });
  const [voted, setVoted] = useState(false);
  const vote = useApiMutation({
    mutationFn: (helpful: boolean) => kbApi.feedback(id, helpful),
    onSuccess: (a) => {
      client.setQueryData(['articles', 'one', id], a);
      setVoted(true);
    },
  });
  if (article.error)
    return (
      <div className="stack">
        <p>
          <Link to={`/portal/articles${helpSearch}`}>← Help articles</Link>
        </p>
        <Banner tone="danger" title="We cannot show this article">
          {humanMessage(article.error)}
        </Banner>
      </div>
    );
  if (!article.data) return <Loading what="the article" />;
  const a = article.data;
  return (
    <div className="stack narrow">
      <p>
        <Link to={`/portal/articles${helpSearch}`}>← Help articles</Link>
      </p>
      <PageHeader title={a.title} />
      <article className="card">
        <ArticleBody html={a.html} />
        <p className="muted">
          Updated <When at={a.updatedAt} />
        </p>
      </article>
      <section className="card" aria-labelledby="helpful-title">
        <h2 id="helpful-title">Was this helpful?</h2>
        {vote.error ? <Banner tone="danger">{humanMessage(vote.error)}</Banner> : null}
        {voted ? (
          <p role="status">Thank you — that helps us improve the article.</p>
        ) : (
          <div className="form-actions">
            <Button busy={vote.busy} onClick={() => vote.run(true)}>
              Yes
            </Button>
            <Button busy={vote.busy} onClick={() => vote.run(false)}>
              No
            </Button>
            <Link to="/portal/report">Still stuck? Report a problem</Link>
          </div>
        )}
      </section>
    </div>
  );
}
