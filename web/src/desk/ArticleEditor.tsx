import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  ARTICLE_AUDIENCE_LABELS,
  ARTICLE_AUDIENCES,
  ARTICLE_STATE_LABELS,
  type ArticleAudience,
  type ArticleState,
} from '../../../core/knowledge-base';
import { humanMessage } from '../api/client';
import * as kbApi from '../api/endpoints/knowledge';
import { useCategories, useServices } from '../api/hooks';
import { useApiMutation } from '../api/mutation';
import { ArticleBody } from '../knowledge/ArticleParts';
import { useDebounced } from '../knowledge/useDebounced';
import { Banner, Button, Field, IdSelect, Loading, PageHeader, When } from '../ui/kit';
import { Counts } from './KnowledgeBase';

/** `/desk/knowledge/new` and `/desk/knowledge/:id`: write an article with a live preview; history, publish, retire. */
export default function ArticleEditor() {
  const { id } = useParams();
  const article = useQuery({ queryKey: ['articles', 'one', id], queryFn: () => kbApi.get(id as string), enabled: Boolean(id) });
  if (id && article.error) return <Banner tone="danger">{humanMessage(article.error)}</Banner>;
  if (id && !article.data) return <Loading what="the article" />;
  return <Editor key={`${id ?? 'new'}-${article.data?.version ?? 0}`} article={article.data} />;
}

const MOVES: Record<ArticleState, { to: ArticleState; label: string }[]> = {
  draft: [{ to: 'published', label: 'Publish' }],
  published: [
    { to: 'retired', label: 'Retire' },
    { to: 'draft', label: 'Back to draft' },
  ],
  retired: [{ to: 'published', label: 'Publish again' }],
};

function Editor({ article }: { article?: kbApi.ArticleT }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const services = useServices();
  const categories = useCategories();
  const [title, setTitle] = useState(article?.title ?? '');
  const [body, setBody] = useState(article?.body ?? '');
  const [audience, setAudience] = useState<ArticleAudience>(article?.audience ?? 'everyone');
  const [serviceId, setServiceId] = useState(article?.serviceIds[0] ?? '');
  const [categoryId, setCategoryId] = useState(article?.categoryIds[0] ?? '');
  const previewBody = useDebounced(body, 400);
  const preview = useQuery({ queryKey: ['articles', 'preview', previewBody], queryFn: () => kbApi.preview(previewBody) });

  const fields = (): kbApi.ArticleFields => ({
    title,
    body,
    audience,
    serviceIds: serviceId ? [serviceId] : [],
    categoryIds: categoryId ? [categoryId] : [],
  });
  const saved = (a: kbApi.ArticleT) => {
    client.setQueryData(['articles', 'one', a.id], a);
    if (!article) navigate(`/desk/knowledge/${a.id}`, { replace: true });
  };
  const save = useApiMutation({
    mutationFn: () => (article ? kbApi.save(article.id, article.version, fields()) : kbApi.create(fields())),
    onSuccess: saved,
    invalidates: [
      ['articles', 'list'],
      ['articles', 'versions'],
    ],
  });
  const move = useApiMutation({
    mutationFn: (to: ArticleState) => kbApi.move(article?.id as string, article?.version as number, to),
    onSuccess: saved,
    invalidates: [
      ['articles', 'list'],
      ['articles', 'versions'],
    ],
  });
  const dirty =
    !article ||
    title !== article.title ||
    body !== article.body ||
    audience !== article.audience ||
    serviceId !== (article.serviceIds[0] ?? '') ||
    categoryId !== (article.categoryIds[0] ?? '');
  const error = save.error ?? move.error;

  return (
    <div className="stack">
      <PageHeader title={article ? `Article: ${article.title}` : 'New article'}>
        {article ? <span className="badge">{ARTICLE_STATE_LABELS[article.state]}</span> : null}
      </PageHeader>
      {error && !save.hasFieldErrors ? (
        <Banner tone="danger" title={save.conflict || move.conflict ? 'Someone else saved this article' : undefined}>
          {humanMessage(error)}
        </Banner>
      ) : null}
      {article ? (
        <div className="card">
          <Counts a={article} />
          <p className="muted">
            Version {article.version}, saved by {article.updatedBy?.name ?? 'someone'} <When at={article.updatedAt} />
            {article.sourceTicketId ? ' · written from a resolved ticket' : ''}
          </p>
          <div className="form-actions">
            {MOVES[article.state].map((m) => (
              <Button
                key={m.to}
                tone={m.to === 'published' ? 'primary' : 'secondary'}
                busy={move.busy}
                disabled={dirty}
                onClick={() => move.run(m.to)}
              >
                {m.label}
              </Button>
            ))}
            {dirty ? <span className="muted">Save your changes first.</span> : null}
          </div>
        </div>
      ) : null}
      <div className="grid-2">
        <form
          className="card"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save.run();
          }}
        >
          <Field label="Title" error={save.fieldError('title')}>
            {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />}
          </Field>
          <Field
            label="Body (Markdown)"
            hint="Headings (#), lists (-), links [text](https://…), `code`. HTML is shown as text."
            error={save.fieldError('body')}
          >
            {(p) => <textarea {...p} rows={14} value={body} onChange={(e) => setBody(e.target.value)} />}
          </Field>
          <Field label="Who may read it" error={save.fieldError('audience')}>
            {(p) => (
              <select {...p} value={audience} onChange={(e) => setAudience(e.target.value as ArticleAudience)}>
                {ARTICLE_AUDIENCES.map((a) => (
                  <option key={a} value={a}>
                    {ARTICLE_AUDIENCE_LABELS[a]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <IdSelect
            label="Service"
            value={serviceId}
            onChange={(e) => setServiceId(e.target.value)}
            options={services.data?.items ?? []}
            none="Any service"
            error={save.fieldError('serviceIds')}
          />
          <IdSelect
            label="Category"
            value={categoryId}
            onChange={(e) => setCategoryId(e.target.value)}
            options={categories.data?.items ?? []}
            none="Any category"
            error={save.fieldError('categoryIds')}
          />
          <div className="form-actions">
            <Button tone="primary" type="submit" busy={save.busy} disabled={!dirty}>
              {article ? 'Save as a new version' : 'Save draft'}
            </Button>
          </div>
        </form>
        <section className="card" aria-labelledby="preview-title">
          <h2 id="preview-title">Preview</h2>
          {preview.data ? <ArticleBody html={preview.data.html} /> : <Loading what="the preview" />}
        </section>
      </div>
      {article ? <History article={article} /> : null}
    </div>
  );
}

function History({ article }: { article: kbApi.ArticleT }) {
  const client = useQueryClient();
  const versions = useQuery({ queryKey: ['articles', 'versions', article.id, article.version], queryFn: () => kbApi.versions(article.id) });
  const [shown, setShown] = useState<number | null>(null);
  const one = useQuery({
    queryKey: ['articles', 'version', article.id, shown],
    queryFn: () => kbApi.version(article.id, shown as number),
    enabled: shown !== null,
  });
  const restore = useApiMutation({
    mutationFn: (n: number) => kbApi.restore(article.id, n, article.version),
    onSuccess: (a) => client.setQueryData(['articles', 'one', a.id], a),
    invalidates: [['articles', 'list']],
  });
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {restore.error ? <Banner tone="danger">{humanMessage(restore.error)}</Banner> : null}
      {!versions.data ? (
        <Loading what="the history" />
      ) : (
        <ul className="plain-list kb-history">
          {versions.data.items.map((v) => (
            <li key={v.version} className="row">
              <span className="grow">
                Version {v.version} · {v.title} · {v.savedBy ?? 'someone'} <When at={v.savedAt} />
              </span>
              <Button tone="ghost" onClick={() => setShown(shown === v.version ? null : v.version)}>
                {shown === v.version ? 'Hide' : 'View'}
              </Button>
              {v.version !== article.version ? (
                <Button tone="ghost" busy={restore.busy} onClick={() => restore.run(v.version)}>
                  Restore
                </Button>
              ) : (
                <span className="muted">current</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {shown !== null && one.data ? (
        <div className="kb-version">
          <h3>
            Version {one.data.version}: {one.data.title}
          </h3>
          <ArticleBody html={one.data.html} />
        </div>
      ) : null}
    </section>
  );
}
