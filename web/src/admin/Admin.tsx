import { NavLink, useParams } from 'react-router';
import { isAdmin } from '../../../core/permissions';
import { useMe } from '../api/hooks';
import { Banner } from '../ui/kit';
import { ROLE_LABEL } from '../ui/labels';
import { AutomationAdmin } from './AutomationAdmin';
import { CategoriesAdmin } from './CategoriesAdmin';
import { ChecklistsAdmin } from './ChecklistsAdmin';
import { FailedWorkAdmin } from './FailedWorkAdmin';
import { ImportAdmin } from './ImportAdmin';
import { InboundEmailsAdmin } from './InboundEmailsAdmin';
import { IncidentOwnershipAdmin } from './IncidentOwnershipAdmin';
import { IncidentRolesAdmin } from './IncidentRolesAdmin';
import { IntegrationsAdmin } from './IntegrationsAdmin';
import { OnCallAdmin } from './OnCallAdmin';
import { PriorityMatrixAdmin } from './PriorityMatrixAdmin';
import { RoutingAdmin } from './RoutingAdmin';
import { ServicesAdmin } from './ServicesAdmin';
import { SlaAdmin } from './SlaAdmin';
import { StakeholderUpdatesAdmin } from './StakeholderUpdatesAdmin';
import { StatusPageAdmin } from './StatusPageAdmin';
import { StormDetectionAdmin } from './StormDetectionAdmin';
import { TeamsAdmin } from './TeamsAdmin';
import { TokensAdmin } from './TokensAdmin';
import { UsersAdmin } from './UsersAdmin';

const SECTIONS = [
  { id: 'users', label: 'People', page: UsersAdmin },
  { id: 'teams', label: 'Teams', page: TeamsAdmin },
  { id: 'services', label: 'Services', page: ServicesAdmin },
  { id: 'categories', label: 'Categories', page: CategoriesAdmin },
  { id: 'priority-matrix', label: 'Priority matrix', page: PriorityMatrixAdmin },
  { id: 'slas', label: 'SLAs', page: SlaAdmin },
  { id: 'incident-ownership', label: 'Incident ownership', page: IncidentOwnershipAdmin },
  { id: 'checklists', label: 'Completion checklists', page: ChecklistsAdmin },
  { id: 'on-call', label: 'On-call', page: OnCallAdmin },
  { id: 'response-roles', label: 'Response roles', page: IncidentRolesAdmin },
  { id: 'stakeholder-updates', label: 'Stakeholder updates', page: StakeholderUpdatesAdmin },
  { id: 'status-page', label: 'Status page', page: StatusPageAdmin },
  { id: 'storm-detection', label: 'Storm detection', page: StormDetectionAdmin },
  { id: 'integrations', label: 'Integrations', page: IntegrationsAdmin },
  { id: 'email', label: 'E-mail received', page: InboundEmailsAdmin },
  { id: 'failed-work', label: 'Failed work', page: FailedWorkAdmin },
  { id: 'tokens', label: 'API tokens', page: TokensAdmin },
  { id: 'import', label: 'Import', page: ImportAdmin },
  { id: 'routing', label: 'Routing', page: RoutingAdmin },
  { id: 'automation', label: 'Automation', page: AutomationAdmin },
] as const;

export default function Admin() {
  const { section = 'users' } = useParams();
  const me = useMe().data;
  if (!me || !isAdmin(me)) {
    const role = ROLE_LABEL[me?.role ?? ''];
    return (
      <Banner tone="warning">
        Only admins can change the set-up.{role ? ` You are signed in as ${/^[AEIOU]/.test(role) ? 'an' : 'a'} ${role}.` : ''}
      </Banner>
    );
  }
  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0];
  const Page = current.page;
  return (
    <div className="admin">
      <nav className="queue-nav" aria-label="Admin sections">
        <h2>Set-up</h2>
        {SECTIONS.map((s) => (
          <NavLink key={s.id} to={`/admin/${s.id}`}>
            {s.label}
          </NavLink>
        ))}
      </nav>
      <section>
        <Page />
      </section>
    </div>
  );
}
