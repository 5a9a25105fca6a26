import { ApiError } from './client';
import type { AttachmentT } from './types';

/**
 * Sends one file as the request body, named in X-Filename; the server checks type and size. Not
 * JSON, so not through `request`: a refusal names the file in its message.
 */
export async function uploadFile(ticketId: string, file: File): Promise<AttachmentT> {
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
  return res.json();
}
