import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Field, PageHeader } from '../ui/kit';
import { Queue } from './Desk';

/**
 * The desk's one search: every ticket of every queue, by number (whole or part: "169"), words of
 * the title or description, or the requester's name or e-mail. The top bar's box (`/`) lands here.
 */
export default function Search() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  // A new search from the top bar while this page is open: the box shows what was searched, in
  // the same render as the heading (an effect would paint the old words under the new heading).
  const [shownQuery, setShownQuery] = useState(q);
  if (shownQuery !== q) {
    setShownQuery(q);
    setText(q);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {}, { replace: true });
  };
  return (
    <div className="stack">
      <PageHeader title={q ? `Tickets matching “${q}”` : 'Search all tickets'} />
      <search>
        <form className="row search-form" onSubmit={submit}>
          <Field label="Number, words, or the requester’s name or e-mail">
            {(p) => <input {...p} type="search" value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <Button tone="primary" type="submit">
            Search
          </Button>
        </form>
      </search>
      {q ? (
        <Queue key={q} params={{ q, sort: '-updatedAt' }} empty={`No ticket in any queue matches “${q}”.`} />
      ) : (
        <p className="muted">Searches every queue: open and closed tickets, whoever they are assigned to.</p>
      )}
    </div>
  );
}
