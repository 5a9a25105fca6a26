import { useState } from 'react';
import { humanMessage } from '../../api/client';
import * as api from '../../api/endpoints/stakeholder-updates';
import { ticketChanged } from '../../api/keys';
import { useApiMutation } from '../../api/mutation';
import { dateTime } from '../../ui/format';
import { Banner, Button, Field } from '../../ui/kit';

/**
 * A sent update's public words, correctable (issue 15): the status page, its feeds and the portal
 * show the corrected text marked "edited"; the earlier versions stay readable here. Subscribers
 * are told again only when "Notify subscribers" is ticked: a typo fix is not news.
 */
export function CorrectSentUpdate({ ticketId, update }: { ticketId: string; update: api.SentUpdateT }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(update.text);
  const [notify, setNotify] = useState(false);
  const save = useApiMutation({
    mutationFn: () =>
      api.editPublicUpdate(ticketId, update.publicUpdateId as number, { text, revision: update.revision, notifySubscribers: notify }),
    invalidates: ticketChanged(ticketId),
    onSuccess: () => setOpen(false),
  });
  return (
    <>
      {update.editedAt ? (
        <p className="muted" data-testid="edited-mark">
          Edited {dateTime(update.editedAt)}
        </p>
      ) : null}
      {update.history.length > 0 ? (
        <details className="update-history">
          <summary>Earlier versions ({update.history.length})</summary>
          <ol className="plain-list">
            {update.history.map((h) => (
              <li key={h.at}>
                <p className="muted">
                  {h.actorName ?? 'Firebreak'} corrected it {dateTime(h.at)}
                  {h.notified ? ' and told subscribers' : ''}. Before:
                </p>
                <p className="preview-text">{h.from}</p>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {open ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            save.run();
          }}
        >
          <Field label="Corrected text" error={save.fieldError('text')}>
            {(p) => <textarea {...p} rows={4} value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <label className="row">
            <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
            Notify subscribers (leave it off for a typo fix)
          </label>
          {save.error && !save.hasFieldErrors ? <Banner tone="danger">{humanMessage(save.error)}</Banner> : null}
          <div className="row">
            <Button tone="primary" type="submit" busy={save.busy} disabled={!text.trim() || text.trim() === update.text}>
              Save correction
            </Button>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
          </div>
        </form>
      ) : (
        <div className="row">
          <Button
            onClick={() => {
              setText(update.text);
              setOpen(true);
            }}
          >
            Correct the public text
          </Button>
        </div>
      )}
    </>
  );
}
