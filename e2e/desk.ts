import type { Browser } from 'playwright-core';
import type { Role } from '../core/vocabulary.js';
import { addPerson, type Firebreak, signedIn, useFirebreak } from './harness.js';

/** The people an e2e file needs, by e-mail: their name and role (they sign in with PASSWORD). */
export type Cast = Record<string, readonly [name: string, role: Role]>;

/** A person as POST /users answered. */
export interface CastMember {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** What `useDesk` started and added; filled in before the file's first test runs. */
export interface Desk {
  fb: Firebreak;
  browser: Browser;
  /** The cast, by e-mail. */
  people: Map<string, CastMember>;
  /** A browser window signed in as one of the cast (page errors collected in `errors`). */
  signIn(email: string, options?: Parameters<typeof signedIn>[3]): ReturnType<typeof signedIn>;
}

/**
 * The usual start of a browser story, as hooks of the calling file (like `useFirebreak`): the
 * real server and a browser, the file's cast of people added through the API, then `seed` for
 * what else the story needs (services, tickets, articles …) with the desk at hand. The files
 * repeated these lines each (issue 13: "seven copies of the e2e setup").
 */
export function useDesk(cast: Cast, seed: (desk: Desk) => Promise<void> = async () => {}, settings: Record<string, string> = {}): Desk {
  const desk = {
    people: new Map<string, CastMember>(),
    signIn: (email, options) => signedIn(desk.browser, desk.fb.url, email, options),
  } as Desk;
  useFirebreak(settings, async ({ fb, browser }) => {
    desk.fb = fb;
    desk.browser = browser;
    for (const [email, [name, role]] of Object.entries(cast)) desk.people.set(email, await addPerson(fb, email, name, role));
    await seed(desk);
  });
  return desk;
}

/** One of the cast, failing loudly when the file's cast has no such person. */
export function member(desk: Desk, email: string): CastMember {
  const found = desk.people.get(email);
  if (!found) throw new Error(`${email} is not in this file's cast (useDesk)`);
  return found;
}

/**
 * The VPN outage both major-incident stories start from, reported as global: a major incident from
 * its report (no declaring, no SQL). Ingrid runs it, Sam helps: the cast these files share.
 */
export const VPN_INCIDENT_CAST: Cast = {
  'ingrid@e2e.test': ['Ingrid Incident', 'agent'],
  'sam@e2e.test': ['Sam Specialist', 'agent'],
};

export function reportVpnOutage(fb: Firebreak): Promise<{ id: string; number: string }> {
  return fb.api('POST', '/tickets', {
    kind: 'incident',
    title: 'VPN concentrator down',
    description: 'Nobody can connect to the VPN since 09:02.',
    impact: 1,
    urgency: 1,
    scope: 'global',
  });
}
