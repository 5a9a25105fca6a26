import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ACCEPTED_EXTENSIONS, checkFileName } from '../../../core/file-types';
import { ApiError, api, humanMessage } from '../api/client';
import { invalidateTicket } from '../api/hooks';

interface AttachmentT {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: string;
}

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

/** Sends one file as the request body, named in X-Filename; the server checks type and size. */
export async function uploadFile(ticketId: string, file: File): Promise<void> {
  const res = await fetch(`/api/v1/tickets/${ticketId}/attachments`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': file.type || 'application/octet-stream', 'x-filename': encodeURIComponent(file.name) },
    body: file,
  });
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    throw new ApiError(
      res.status,
      problem.title ?? 'Upload refused',
      `${file.name}: ${problem.errors?.[0]?.message ?? problem.detail ?? res.statusText}`,
      [],
      problem,
    );
  }
}

/** A ticket's files (downloads only) and, unless the ticket is over, a way to add one. */
export function Attachments({ ticketId, canAdd }: { ticketId: string; canAdd: boolean }) {
  const client = useQueryClient();
  const inputId = useId();
  const files = useQuery({
    queryKey: ['attachments', ticketId],
    queryFn: () => api<{ items: AttachmentT[] }>('GET', `/tickets/${ticketId}/attachments`),
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = files.data?.items ?? [];
  const add = async (list: FileList | null) => {
    if (!list?.length) return;
    const { accepted, refused } = checkChosenFiles(list);
    setError(refused.length > 0 ? `${refused.join('. ')}.` : null);
    if (accepted.length === 0) return;
    setBusy(true);
    try {
      for (const file of accepted) await uploadFile(ticketId, file);
    } catch (err) {
      setError(humanMessage(err));
    } finally {
      setBusy(false);
      client.invalidateQueries({ queryKey: ['attachments', ticketId] });
      invalidateTicket(client, ticketId);
    }
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
