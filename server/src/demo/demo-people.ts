/**
 * The people of the demo company, Halden Rowe (a logistics group with five sites). Addresses use
 * the reserved `.example` domain so no demo e-mail can ever reach a real inbox.
 */

export const DEMO_DOMAIN = 'haldenrowe.example';

/** Every demo account that can sign in shares this password, printed in the summary. */
export const DEMO_PASSWORD = 'firebreak-demo-2026';

export const TEAM_KEYS = ['desk', 'network', 'database', 'identity', 'workplace', 'apps'] as const;
export type TeamKey = (typeof TEAM_KEYS)[number];

export interface TeamSpec {
  key: TeamKey;
  name: string;
  description: string;
  /** The first person is the manager; all of them are members. */
  staff: string[];
}

export const TEAMS: TeamSpec[] = [
  {
    key: 'desk',
    name: 'Service Desk',
    description: 'First line: takes every call, chat and portal report, fixes what it can and routes the rest.',
    staff: ['Sarah Whitfield', 'Tom Okafor', 'Aisha Rahman', 'Lukas Novak', 'Emily Chen', 'Diego Alvarez'],
  },
  {
    key: 'network',
    name: 'Network',
    description: 'LAN, Wi-Fi, WAN links between sites, firewalls, VPN, DNS and telephony.',
    staff: ['Raj Patel', 'Katrin Vogel', 'Owen Hughes', 'Marco Rossi'],
  },
  {
    key: 'database',
    name: 'Database',
    description: 'The PostgreSQL and SQL Server clusters, backups and restores, and the reporting warehouse.',
    staff: ['Ingrid Larsen', 'Samuel Mensah', 'Yuki Tanaka'],
  },
  {
    key: 'identity',
    name: 'Identity & Access',
    description: 'Accounts, single sign-on, multi-factor authentication, joiners, movers and leavers.',
    staff: ['Fatima Benali', 'Daniel Kim', 'Chloé Martin', 'Ben Carter'],
  },
  {
    key: 'workplace',
    name: 'Workplace',
    description: 'End-user computing: laptops, desktops, printers, phones, meeting rooms and software deployment.',
    staff: ['Grace O’Neill', 'Ahmed Hassan', 'Sophie Wagner', 'Liam Murphy', 'Mei Lin'],
  },
  {
    key: 'apps',
    name: 'Applications',
    description: 'Business applications: ERP and finance, payroll, HR portal, warehouse management, CRM, intranet.',
    staff: ['Nikolai Petrov', 'Hannah Schmidt', 'Ravi Iyer', 'Laura Bianchi'],
  },
];

export const ADMIN_NAME = 'Morgan Ellis';

export interface Site {
  name: string;
  organisation: string;
  timeZone: string;
  /** Standard offset from UTC in hours, for placing reports in local working hours. */
  utcOffset: number;
}

export const SITES: Site[] = [
  { name: 'London', organisation: 'Halden Rowe Group (London HQ)', timeZone: 'Europe/London', utcOffset: 0 },
  { name: 'Manchester', organisation: 'Halden Rowe Logistics UK', timeZone: 'Europe/London', utcOffset: 0 },
  { name: 'Hamburg', organisation: 'Halden Rowe Freight GmbH', timeZone: 'Europe/Berlin', utcOffset: 1 },
  { name: 'Chicago', organisation: 'Halden Rowe Americas Inc.', timeZone: 'America/Chicago', utcOffset: -6 },
  { name: 'Singapore', organisation: 'Halden Rowe Asia Pte. Ltd.', timeZone: 'Asia/Singapore', utcOffset: 8 },
];

/** Staff sit mostly in London and Hamburg, with a few following the sun. */
export const STAFF_TIME_ZONES: Record<string, string> = {
  'Diego Alvarez': 'America/Chicago',
  'Mei Lin': 'Asia/Singapore',
  'Katrin Vogel': 'Europe/Berlin',
  'Lukas Novak': 'Europe/Berlin',
  'Sophie Wagner': 'Europe/Berlin',
  'Hannah Schmidt': 'Europe/Berlin',
  'Marco Rossi': 'Europe/Rome',
  'Chloé Martin': 'Europe/Paris',
  'Ingrid Larsen': 'Europe/Oslo',
};

export interface RequesterSpec {
  name: string;
  site: string;
  /** Only a couple of requesters get a password: enough to try the portal, cheap to hash. */
  canSignIn?: boolean;
}

export const REQUESTERS: RequesterSpec[] = [
  { name: 'Priya Raman', site: 'London', canSignIn: true },
  { name: 'James Thornton', site: 'London' },
  { name: 'Olivia Bennett', site: 'London' },
  { name: 'Charlotte Davies', site: 'London' },
  { name: 'Kwame Asante', site: 'London' },
  { name: 'Eleanor Price', site: 'London' },
  { name: 'Harriet Cole', site: 'London' },
  { name: 'Mohammed Iqbal', site: 'Manchester' },
  { name: 'Rebecca Lewis', site: 'Manchester' },
  { name: 'Gareth Evans', site: 'Manchester' },
  { name: 'Niamh Gallagher', site: 'Manchester' },
  { name: 'Stuart McAllister', site: 'Manchester' },
  { name: 'Jonas Becker', site: 'Hamburg', canSignIn: true },
  { name: 'Anna Schulz', site: 'Hamburg' },
  { name: 'Felix Hoffmann', site: 'Hamburg' },
  { name: 'Leonie Krüger', site: 'Hamburg' },
  { name: 'Mehmet Yilmaz', site: 'Hamburg' },
  { name: 'Sabine Richter', site: 'Hamburg' },
  { name: 'Tobias Meyer', site: 'Hamburg' },
  { name: 'Ashley Johnson', site: 'Chicago' },
  { name: 'Marcus Williams', site: 'Chicago' },
  { name: 'Jennifer Kowalski', site: 'Chicago' },
  { name: 'Carlos Mendoza', site: 'Chicago' },
  { name: 'Brittany Nguyen', site: 'Chicago' },
  { name: 'Tyrone Jackson', site: 'Chicago' },
  { name: 'Megan O’Brien', site: 'Chicago' },
  { name: 'Wei Jie Tan', site: 'Singapore' },
  { name: 'Siti Nurhaliza', site: 'Singapore' },
  { name: 'Arjun Menon', site: 'Singapore' },
  { name: 'Grace Lim', site: 'Singapore' },
  { name: 'Hiroshi Sato', site: 'Singapore' },
  { name: 'Divya Krishnan', site: 'Singapore' },
];

/** `Grace O’Neill` → `grace.oneill@…`, `Chloé Martin` → `chloe.martin@…`. */
export function emailOf(name: string): string {
  const local = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/\s+/)
    .join('.');
  return `${local}@${DEMO_DOMAIN}`;
}

export function firstNameOf(name: string): string {
  return name.split(' ')[0];
}
