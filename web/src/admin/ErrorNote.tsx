import { ApiError, humanMessage } from '../api/client';
import { Banner } from '../ui/kit';

/** Errors not tied to one field (a conflict, a refused cycle) as a banner; field errors sit by their field. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError && error.fieldErrors.length > 0)
    return (
      <Banner tone="danger" title="Please check the form">
        {humanMessage(error)}
      </Banner>
    );
  return <Banner tone="danger">{humanMessage(error)}</Banner>;
}
