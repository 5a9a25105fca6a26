import { useId, useState } from 'react';
import { ACCEPTED_EXTENSIONS, checkFileName } from '../../../core/file-types';
import { humanMessage } from '../api/client';
import { keys, ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import { useTicketAttachments } from '../api/ticket-hooks';
import { uploadFile } from '../api/upload';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** For a file input's `accept`: the types the server takes, so the picker offers those first. */
export const ACCEPT_FILES = ACCEPTED_EXTENSIONS.map((e) => `.${e}`).join(',');

/** What people may attach, in one line for a field's hint. */
export const FILES_HINT = 'Screenshots, PDFs, logs, Office documents without macros, archives — up to 10 MB each.';

/**
 * The chosen files the server will take by their names (the same rule as the server's, from
 * core), and why each of the others is refused, before anything is sent. The server checks the
 * bytes as well.
 */
export function checkChosenFiles(files: Iterable<File>): { accepted: File[]; refused: string[] } {
  const accepted: File[] = [];
  const refused: string[] = [];
  for (const file of files) {
    const check = checkFileName(file.name);
    if (check.ok) accepted.push(file);
    else refused.push(check.reason);
  }
  return { accepted, refused };
}

/** A ticket's files (downloads only) and, unless the ticket is over, a way to add one. */
export function Attachments({ ticketId, canAdd }: { ticketId: string; canAdd: boolean }) {
  const inputId = useId();
  const files = useTicketAttachments(ticketId);
  // Files refused by name, before anything is sent; a refusal by the server replaces it.
  const [refusedByName, setRefusedByName] = useState<string | null>(null);
  const upload = useApiMutation({
    mutationFn: async (accepted: File[]) => {
      for (const file of accepted) await uploadFile(ticketId, file);
      return null;
    },
    invalidates: [keys.ticket.attachments(ticketId), ...ticketChanged(ticketId)],
    refreshOnError: true, // the files before a refused one were attached
  });
  const busy = upload.busy;
  const error = upload.error ? humanMessage(upload.error) : refusedByName;
  const items = files.data?.items ?? [];
  const add = async (list: FileList | null) => {
    if (!list?.length) return;
    const { accepted, refused } = checkChosenFiles(list);
    upload.reset();
    setRefusedByName(refused.length > 0 ? `${refused.join('. ')}.` : null);
    if (accepted.length === 0) return;
    await upload.run(accepted);
  };
  if (!canAdd && items.length === 0) return null;
  return (
    <section className="card" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>Files</h2>
      {items.length > 0 ? (
        <ul className="plain-list">
          {items.map((a) => (
            <li key={a.id}>
              <a href={`/api/v1/attachments/${a.id}`} download={a.filename}>
                {a.filename}
              </a>{' '}
              <span className="muted">{formatSize(a.size)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No files yet.</p>
      )}
      {canAdd && (
        <div className="field" style={{ marginTop: '.75rem', marginBottom: 0 }}>
          <label htmlFor={inputId}>Attach files</label>
          <p className="field-hint">{FILES_HINT}</p>
          <input
            id={inputId}
            type="file"
            multiple
            accept={ACCEPT_FILES}
            disabled={busy}
            onChange={(e) => add(e.target.files).then(() => (e.target.value = ''))}
          />
          {busy && <p className="muted">Uploading…</p>}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
