import { type ReactNode, useState } from 'react';
import { Button, Dialog } from './kit';

/**
 * Asks before an action that cannot be undone (revoking, deactivating, changing a role,
 * deleting). A modal dialog: the focus starts on Cancel, Escape or Cancel do nothing, and the
 * confirm button names the action. `onConfirm` answers whether it was done: the dialog closes
 * then, and stays open (showing `error`, the caller's) when it failed.
 */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  tone = 'danger',
  error,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  error?: ReactNode;
  onConfirm: () => Promise<boolean>;
  onCancel: () => void;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open={open} title={title} onClose={onCancel}>
      <div className="stack confirm-dialog">
        {children}
        {error}
        <div className="form-actions">
          {/* Cancel first and focused: Enter on a dialog that just opened must not do the irreversible thing. */}
          <Button autoFocus onClick={onCancel}>
            Cancel
          </Button>
          <Button
            tone={tone}
            busy={busy}
            onClick={async () => {
              setBusy(true);
              try {
                if (await onConfirm()) onCancel();
              } finally {
                setBusy(false);
              }
            }}
          >
            {confirmLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
