import { useUsers } from '../../api/hooks';
import type { MeT, TicketT } from '../../api/types';
import { InvestigationsPanel } from './InvestigationsPanel';
import { MeetingsPanel } from './MeetingsPanel';
import { RolesPanel } from './RolesPanel';
import { TasksPanel } from './TasksPanel';

/**
 * A major incident's response on the desk ticket page (issue 14): role holders first, then
 * investigations side by side, tasks and meetings. Each reads under the ticket's timeline key, so
 * the live stream refreshes them for everyone on the page.
 */
export function ResponsePanels({ ticket, me }: { ticket: TicketT; me: MeT }) {
  const users = useUsers({ staff: 'true', active: 'true' });
  const staff = (users.data?.items ?? []).map((u) => ({ id: u.id, name: u.name }));
  return (
    <div className="response-panels stack" data-testid="major-incident-response">
      <RolesPanel ticket={ticket} me={me} staff={staff} />
      <InvestigationsPanel ticket={ticket} staff={staff} />
      <div className="response-grid">
        <TasksPanel ticket={ticket} staff={staff} />
        <MeetingsPanel ticket={ticket} staff={staff} />
      </div>
    </div>
  );
}
