import type { TicketAction } from '../../api/ticket-hooks';
import type { TicketT } from '../../api/types';
import { Button } from '../../ui/kit';

/**
 * What every action form on the desk ticket gets: the ticket, the one ticket write its page shares
 * (so a conflict shows once, above the actions), the version the person saw when they opened the
 * form (a change by someone else since then is a conflict, not an overwrite), and how to close.
 */
export interface ActionFormProps {
  ticket: TicketT;
  action: TicketAction;
  baseVersion: number;
  onDone: () => void;
}

/** The submit button and the way back, under each action form. */
export function ActionButtons({ label, busy, onDone }: { label: string; busy: boolean; onDone: () => void }) {
  return (
    <div className="form-actions">
      <Button tone="primary" type="submit" busy={busy}>
        {label}
      </Button>
      <Button onClick={onDone}>Back</Button>
    </div>
  );
}
