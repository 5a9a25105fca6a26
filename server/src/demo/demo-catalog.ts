import { hashPassword } from '../adapters/secrets.js';
import type { CategoryRow } from '../repositories/catalog.repository.js';
import type { UserRow } from '../repositories/users.repository.js';
import { createCategory, createService, type ServiceWithDependencies } from '../services/catalog.service.js';
import type { ServiceDeps } from '../services/deps.js';
import { createUser } from '../services/directory.service.js';
import { createTeam, type TeamWithMembers } from '../services/teams.service.js';
import { ADMIN_NAME, DEMO_PASSWORD, emailOf, REQUESTERS, SITES, type Site, STAFF_TIME_ZONES, TEAMS, type TeamKey } from './demo-people.js';

interface ServiceSpec {
  name: string;
  team: TeamKey;
  description: string;
  /** A component belongs to this top-level service. */
  parent?: string;
  dependsOn?: string[];
  /** Infrastructure a requester would not name: hidden from the portal's pickers (staff still use it). */
  hidden?: true;
}

/** Listed so that parents and dependencies always come before the services that need them. */
const SERVICES: ServiceSpec[] = [
  { name: 'Corporate Network', team: 'network', description: 'Wired LAN and Wi-Fi at every site and the links between them.' },
  { name: 'Wi-Fi', team: 'network', parent: 'Corporate Network', description: 'Staff and guest wireless at all five sites.' },
  {
    name: 'Site WAN Links',
    hidden: true,
    team: 'network',
    parent: 'Corporate Network',
    description: 'MPLS and SD-WAN links between sites and the data centre.',
  },
  {
    name: 'DNS & DHCP',
    hidden: true,
    team: 'network',
    parent: 'Corporate Network',
    description: 'Internal name resolution and address assignment.',
  },
  { name: 'Firewalls', hidden: true, team: 'network', parent: 'Corporate Network', description: 'Perimeter and inter-site firewalls.' },
  {
    name: 'Identity & SSO',
    team: 'identity',
    description: 'Directory accounts, single sign-on and multi-factor authentication.',
    dependsOn: ['DNS & DHCP'],
  },
  {
    name: 'Directory',
    hidden: true,
    team: 'identity',
    parent: 'Identity & SSO',
    description: 'The account directory: users, groups, computers.',
  },
  { name: 'Single Sign-On', team: 'identity', parent: 'Identity & SSO', description: 'SAML/OIDC sign-in for every web application.' },
  { name: 'MFA', team: 'identity', parent: 'Identity & SSO', description: 'Authenticator app push and hardware keys.' },
  {
    name: 'Internet Access',
    team: 'network',
    description: 'Outbound internet through the London and Hamburg breakouts.',
    dependsOn: ['Corporate Network', 'Firewalls'],
  },
  {
    name: 'VPN',
    team: 'network',
    description: 'Remote access for staff working from home or travelling.',
    dependsOn: ['Internet Access', 'Identity & SSO', 'MFA'],
  },
  {
    name: 'Email & Calendar',
    team: 'apps',
    description: 'Mailboxes, shared mailboxes, calendars and mail flow.',
    dependsOn: ['Identity & SSO', 'Internet Access', 'DNS & DHCP'],
  },
  {
    name: 'Mail Transport',
    hidden: true,
    team: 'apps',
    parent: 'Email & Calendar',
    description: 'Inbound and outbound mail gateways and spam filtering.',
  },
  {
    name: 'Shared Mailboxes',
    team: 'apps',
    parent: 'Email & Calendar',
    description: 'Team mailboxes such as accounts-payable@ and bookings@.',
  },
  {
    name: 'Chat & Video Meetings',
    team: 'workplace',
    description: 'Team chat, calls and video meetings.',
    dependsOn: ['Identity & SSO', 'Internet Access'],
  },
  {
    name: 'File Storage',
    team: 'workplace',
    description: 'Department file shares and personal cloud drives.',
    dependsOn: ['Identity & SSO', 'Corporate Network'],
  },
  {
    name: 'Printing',
    team: 'workplace',
    description: 'Follow-me printing on the multifunction printers at every site.',
    dependsOn: ['Corporate Network', 'Directory'],
  },
  { name: 'Print Server', hidden: true, team: 'workplace', parent: 'Printing', description: 'The print queues and release stations.' },
  {
    name: 'End-user Devices',
    team: 'workplace',
    description: 'Laptops, desktops and monitors, their builds and their updates.',
    dependsOn: ['Identity & SSO'],
  },
  {
    name: 'Device Management',
    hidden: true,
    team: 'workplace',
    parent: 'End-user Devices',
    description: 'Enrolment, policies and remote wipe for laptops and phones.',
  },
  {
    name: 'Software Deployment',
    team: 'workplace',
    parent: 'End-user Devices',
    description: 'The self-service software catalogue and patching.',
  },
  { name: 'Mobile Phones', team: 'workplace', description: 'Company smartphones and their contracts.', dependsOn: ['Device Management'] },
  {
    name: 'Telephony',
    team: 'network',
    description: 'Desk phones, softphones and the customer hotline.',
    dependsOn: ['Corporate Network', 'Internet Access'],
  },
  {
    name: 'Meeting Rooms',
    team: 'workplace',
    description: 'Room displays, conference cameras and booking panels.',
    dependsOn: ['Wi-Fi', 'Chat & Video Meetings'],
  },
  {
    name: 'Database Platform',
    hidden: true,
    team: 'database',
    description: 'Shared database clusters behind the business applications.',
    dependsOn: ['Corporate Network'],
  },
  {
    name: 'PostgreSQL Cluster',
    hidden: true,
    team: 'database',
    parent: 'Database Platform',
    description: 'Primary and two replicas in the London data centre.',
  },
  {
    name: 'SQL Server Cluster',
    hidden: true,
    team: 'database',
    parent: 'Database Platform',
    description: 'The always-on group for the ERP and payroll databases.',
  },
  {
    name: 'Backups',
    hidden: true,
    team: 'database',
    parent: 'Database Platform',
    description: 'Nightly full and hourly log backups, kept 35 days.',
  },
  {
    name: 'Finance (ERP)',
    team: 'apps',
    description: 'General ledger, purchasing and invoicing.',
    dependsOn: ['SQL Server Cluster', 'Single Sign-On', 'Site WAN Links'],
  },
  {
    name: 'Payroll',
    team: 'apps',
    description: 'Monthly and weekly payroll for all countries.',
    dependsOn: ['SQL Server Cluster', 'Single Sign-On'],
  },
  {
    name: 'HR Portal',
    team: 'apps',
    description: 'Leave, expenses, payslips and personal details.',
    dependsOn: ['PostgreSQL Cluster', 'Single Sign-On'],
  },
  {
    name: 'Warehouse Management',
    team: 'apps',
    description: 'Inbound, picking and dispatch at the Manchester, Hamburg and Chicago depots.',
    dependsOn: ['PostgreSQL Cluster', 'Site WAN Links', 'Wi-Fi'],
  },
  {
    name: 'CRM',
    team: 'apps',
    description: 'Customer accounts, quotes and the sales pipeline.',
    dependsOn: ['Single Sign-On', 'Internet Access'],
  },
  { name: 'Intranet', team: 'apps', description: 'News, policies and the staff directory.', dependsOn: ['Single Sign-On'] },
  {
    name: 'Reporting & Data Warehouse',
    team: 'database',
    description: 'Nightly loads from ERP and WMS and the management dashboards.',
    dependsOn: ['PostgreSQL Cluster', 'Finance (ERP)', 'Warehouse Management'],
  },
];

interface CategorySpec {
  name: string;
  team: TeamKey;
  children: [string, TeamKey][];
}

const CATEGORIES: CategorySpec[] = [
  {
    name: 'Hardware',
    team: 'workplace',
    children: [
      ['Laptop & Desktop', 'workplace'],
      ['Monitor & Peripherals', 'desk'],
      ['Printer & Scanner', 'workplace'],
      ['Mobile Phone', 'workplace'],
      ['Meeting Room AV', 'workplace'],
    ],
  },
  {
    name: 'Software',
    team: 'desk',
    children: [
      ['Installation & Licences', 'workplace'],
      ['Business Application', 'apps'],
      ['Email & Calendar', 'desk'],
      ['Collaboration Tools', 'desk'],
    ],
  },
  {
    name: 'Network',
    team: 'network',
    children: [
      ['VPN & Remote Access', 'network'],
      ['Wi-Fi', 'network'],
      ['Site Connectivity', 'network'],
      ['Telephony', 'network'],
    ],
  },
  {
    name: 'Access',
    team: 'identity',
    children: [
      ['Password & MFA', 'desk'],
      ['New Account', 'identity'],
      ['Permissions & Groups', 'identity'],
      ['Leaver', 'identity'],
    ],
  },
  {
    name: 'Data & Databases',
    team: 'database',
    children: [
      ['Performance', 'database'],
      ['Restore & Recovery', 'database'],
      ['Reports & Extracts', 'database'],
    ],
  },
  {
    name: 'General',
    team: 'desk',
    children: [
      ['How-to Question', 'desk'],
      ['Something Else', 'desk'],
    ],
  },
];

export interface DemoTeam {
  key: TeamKey;
  team: TeamWithMembers;
  manager: UserRow;
  /** Members other than the manager: the people who pick up most of the work. */
  agents: UserRow[];
}

export interface DemoRequester {
  user: UserRow;
  site: Site;
}

export interface DemoCatalog {
  admin: UserRow;
  teams: Record<TeamKey, DemoTeam>;
  requesters: DemoRequester[];
  services: Map<string, ServiceWithDependencies>;
  /** Keyed by path: `Hardware` or `Hardware/Printer & Scanner`. */
  categories: Map<string, CategoryRow>;
  /** Which team a ticket in a category path lands on, as the routing rules will decide. */
  routedTeam: Map<string, TeamKey>;
}

export async function createCatalog(deps: ServiceDeps): Promise<DemoCatalog> {
  // Every demo account shares one public password: hash it once (at the real cost, ~0.5 s) rather
  // than thirty times.
  const passwordHash = await hashPassword(DEMO_PASSWORD, deps.passwordCost);
  const createStaff = (name: string, role: 'admin' | 'manager' | 'agent') => createStaffMember(deps, name, role, passwordHash);
  const admin = await createStaff(ADMIN_NAME, 'admin');
  const teams = {} as Record<TeamKey, DemoTeam>;
  for (const spec of TEAMS) {
    const people: UserRow[] = [];
    for (const [index, name] of spec.staff.entries()) people.push(await createStaff(name, index === 0 ? 'manager' : 'agent'));
    const team = await createTeam(deps, {
      name: spec.name,
      description: spec.description,
      managerId: people[0].id,
      memberIds: people.map((p) => p.id),
    });
    teams[spec.key] = { key: spec.key, team, manager: people[0], agents: people.slice(1) };
  }

  const requesters: DemoRequester[] = [];
  for (const spec of REQUESTERS) {
    const site = SITES.find((s) => s.name === spec.site) as Site;
    const user = await createUser(deps, {
      email: emailOf(spec.name),
      name: spec.name,
      role: 'requester',
      timeZone: site.timeZone,
      organisation: site.organisation,
      passwordHash: spec.canSignIn ? passwordHash : undefined,
    });
    requesters.push({ user, site });
  }

  const services = new Map<string, ServiceWithDependencies>();
  const idOf = (name: string) => {
    const found = services.get(name);
    if (!found) throw new Error(`demo service ${name} is used before it is defined`);
    return found.id;
  };
  for (const spec of SERVICES) {
    const service = await createService(deps, {
      name: spec.name,
      description: spec.description,
      ownerTeamId: teams[spec.team].team.id,
      parentId: spec.parent ? idOf(spec.parent) : null,
      dependsOnIds: (spec.dependsOn ?? []).map(idOf),
      visibleToRequesters: !spec.hidden,
    });
    services.set(spec.name, service);
  }

  const categories = new Map<string, CategoryRow>();
  const routedTeam = new Map<string, TeamKey>();
  for (const spec of CATEGORIES) {
    const parent = await createCategory(deps, { name: spec.name, defaultTeamId: teams[spec.team].team.id });
    categories.set(spec.name, parent);
    routedTeam.set(spec.name, spec.team);
    for (const [name, team] of spec.children) {
      const child = await createCategory(deps, { name, parentId: parent.id, defaultTeamId: teams[team].team.id });
      categories.set(`${spec.name}/${name}`, child);
      routedTeam.set(`${spec.name}/${name}`, team);
    }
  }
  return { admin, teams, requesters, services, categories, routedTeam };
}

async function createStaffMember(
  deps: ServiceDeps,
  name: string,
  role: 'admin' | 'manager' | 'agent',
  passwordHash: string,
): Promise<UserRow> {
  return createUser(deps, {
    email: emailOf(name),
    name,
    role,
    timeZone: STAFF_TIME_ZONES[name] ?? 'Europe/London',
    organisation: 'Halden Rowe IT Services',
    passwordHash,
  });
}
