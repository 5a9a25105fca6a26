import { hasRoleAtLeast, ROLES, type Role } from './vocabulary.js';

/**
 * Single sign-on (OpenID Connect) rules: which role a person's claims give them, whose e-mail
 * domain may sign in, and what a sign-in does to the person's record. Pure; the service asks.
 */

/** Values of the role claim, each mapped to a Firebreak role (FIREBREAK_OIDC_ROLE_MAP). */
export type RoleMap = ReadonlyMap<string, Role>;

/**
 * Reads `value=role,value=role` (e.g. `firebreak-admins=admin,service-desk=agent`). The value is
 * matched exactly (case and all: group names are identifiers); a value named twice is refused,
 * since which role it means would be a guess.
 */
export function parseRoleMap(text: string): { map: RoleMap; problems: string[] } {
  const map = new Map<string, Role>();
  const problems: string[] = [];
  for (const entry of text.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const at = entry.lastIndexOf('=');
    const value = at > 0 ? entry.slice(0, at).trim() : '';
    const role = at > 0 ? entry.slice(at + 1).trim() : '';
    if (!value || !(ROLES as readonly string[]).includes(role)) {
      problems.push(`"${entry}" is not value=role with a role of ${ROLES.join(', ')} (e.g. firebreak-admins=admin)`);
      continue;
    }
    if (map.has(value) && map.get(value) !== role) {
      problems.push(`"${value}" is mapped to both ${map.get(value)} and ${role}`);
      continue;
    }
    map.set(value, role as Role);
  }
  return { map, problems };
}

/**
 * The role a claim gives: the highest role among the claim's mapped values (a person in both the
 * desk group and the admin group is an admin). A claim may be one string or a list of strings;
 * anything else counts as absent. Null when no value is mapped.
 */
export function roleFromClaim(claim: unknown, map: RoleMap): Role | null {
  const values = typeof claim === 'string' ? [claim] : Array.isArray(claim) ? claim.filter((v) => typeof v === 'string') : [];
  let best: Role | null = null;
  for (const value of values) {
    const role = map.get(value);
    if (role && (best === null || hasRoleAtLeast(role, best))) best = role;
  }
  return best;
}

/** Whether an address's domain is one of `domains` (lower case); an empty list allows every domain. */
export function emailDomainAllowed(email: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return false;
  return domains.includes(email.slice(at + 1).toLowerCase());
}

export interface SingleSignOnPolicy {
  allowedDomains: readonly string[];
  /** The claim holding group or role values (e.g. `groups`); null: roles are not taken from the provider. */
  roleClaim: string | null;
  roleMap: RoleMap;
  /** The role of someone none of whose values are mapped; null refuses them. */
  defaultRole: Role | null;
  /** Whether someone without an account gets one at their first sign-in. */
  autoProvision: boolean;
}

/** What the provider said about the person, as far as Firebreak uses it. */
export interface SignInClaims {
  email: string | null;
  /** False when the provider says it has not verified the address; absent is taken as verified (many providers omit it). */
  emailVerified: boolean | null;
  claims: Record<string, unknown>;
}

export type SingleSignOnRefusal =
  | 'no_email'
  | 'email_unverified'
  | 'domain_not_allowed'
  | 'no_role'
  | 'no_account'
  | 'deactivated'
  | 'linked_to_another_identity';

/** The person Firebreak already knows for a sign-in (by the provider's subject, else by e-mail). */
export interface KnownPerson {
  role: Role;
  active: boolean;
  /**
   * The emergency admin (FIREBREAK_BREAK_GLASS_EMAIL): their role never follows the provider's
   * claim, or a change of groups at the provider could take away the one account that still
   * signs in when the provider is down or misconfigured.
   */
  breakGlass: boolean;
  /**
   * Found by e-mail while already linked to another subject at this provider: linking a second
   * subject would let whoever holds that address at the provider take over the account.
   */
  linkedToAnotherSubject: boolean;
}

export type SingleSignOnDecision =
  | { kind: 'refuse'; reason: SingleSignOnRefusal }
  | { kind: 'create'; email: string; role: Role }
  /** `role` is the role to hold from now on; `roleChanged` says whether it differs from the stored one. */
  | { kind: 'sign_in'; role: Role; roleChanged: boolean };

/**
 * Decides a sign-in from the provider's claims and the person Firebreak already knows (by the
 * provider's subject, else by e-mail), or null. With a role claim configured, the provider is
 * the source of truth for roles: the role follows the claim at every sign-in.
 */
export function decideSingleSignOn(policy: SingleSignOnPolicy, who: SignInClaims, existing: KnownPerson | null): SingleSignOnDecision {
  if (!who.email) return { kind: 'refuse', reason: 'no_email' };
  if (who.emailVerified === false) return { kind: 'refuse', reason: 'email_unverified' };
  if (!emailDomainAllowed(who.email, policy.allowedDomains)) return { kind: 'refuse', reason: 'domain_not_allowed' };
  const claimed = policy.roleClaim ? (roleFromClaim(who.claims[policy.roleClaim], policy.roleMap) ?? policy.defaultRole) : null;
  if (policy.roleClaim && claimed === null) return { kind: 'refuse', reason: 'no_role' };
  if (existing) {
    if (!existing.active) return { kind: 'refuse', reason: 'deactivated' };
    if (existing.linkedToAnotherSubject) return { kind: 'refuse', reason: 'linked_to_another_identity' };
    const role = existing.breakGlass ? existing.role : (claimed ?? existing.role);
    return { kind: 'sign_in', role, roleChanged: role !== existing.role };
  }
  if (!policy.autoProvision) return { kind: 'refuse', reason: 'no_account' };
  return { kind: 'create', email: who.email, role: claimed ?? policy.defaultRole ?? 'requester' };
}

/** Words for a person, shown on the sign-in page after a refused or failed single sign-on. */
export const SINGLE_SIGN_ON_FAILURES = {
  no_email: 'Your identity provider did not tell Firebreak your e-mail address, so it cannot tell who you are.',
  email_unverified: 'Your identity provider has not verified your e-mail address yet. Verify it there, then try again.',
  domain_not_allowed: 'Addresses of your e-mail domain may not sign in here.',
  no_role: 'Your account at the identity provider is in none of the groups that may use Firebreak. Ask an admin to add you.',
  no_account: 'You have no Firebreak account yet. Ask an admin to create one for your e-mail address.',
  deactivated: 'Your Firebreak account is deactivated. Ask an admin to reactivate it.',
  linked_to_another_identity:
    'Your Firebreak account is already linked to another account at your identity provider. Sign in with that one, or ask an admin.',
  provider_unreachable:
    'The identity provider cannot be reached right now, so single sign-on is not available. Try again in a few minutes.',
  expired: 'The sign-in took too long or was started in another window. Please start again.',
  state_mismatch: 'This sign-in answer does not belong to the sign-in you started (it may have been altered). Please start again.',
  invalid_token:
    'The identity provider’s answer could not be trusted (its token was for another application, expired, or badly signed). Please try again; if it keeps happening, tell an admin.',
  provider_refused: 'The identity provider did not sign you in.',
} as const satisfies Record<SingleSignOnRefusal | string, string>;

export type SingleSignOnFailure = keyof typeof SINGLE_SIGN_ON_FAILURES;

export const isSingleSignOnFailure = (value: string): value is SingleSignOnFailure => Object.hasOwn(SINGLE_SIGN_ON_FAILURES, value);

/** FIREBREAK_LOCAL_PASSWORDS and FIREBREAK_BREAK_GLASS_EMAIL (lower case). */
export interface LocalPasswordPolicy {
  enabled: boolean;
  breakGlassEmail: string | null;
}

/**
 * Whether a person may have a password here (sign in with one, be given one, change theirs):
 * everyone while passwords are on; with them off, the break-glass admin alone — an admin whose
 * address is FIREBREAK_BREAK_GLASS_EMAIL — for when the identity provider is down.
 */
export function passwordAllowed(policy: LocalPasswordPolicy, person: { email: string; role: Role }): boolean {
  if (policy.enabled) return true;
  return isBreakGlassAdmin(policy, person);
}

/** Whether a person is the emergency (break-glass) admin: an admin whose address is FIREBREAK_BREAK_GLASS_EMAIL. */
export function isBreakGlassAdmin(policy: LocalPasswordPolicy, person: { email: string; role: Role }): boolean {
  return person.role === 'admin' && policy.breakGlassEmail !== null && person.email.trim().toLowerCase() === policy.breakGlassEmail;
}

/** Why a password is refused while passwords are off (the API's and the page's words). */
export const PASSWORDS_OFF =
  'passwords are turned off here: only the emergency (break-glass) admin has one, everyone else signs in with single sign-on';
