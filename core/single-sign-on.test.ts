import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideSingleSignOn,
  emailDomainAllowed,
  parseRoleMap,
  passwordAllowed,
  roleFromClaim,
  type SingleSignOnPolicy,
} from './single-sign-on.js';
import { hasRoleAtLeast, ROLES, type Role } from './vocabulary.js';

const { map } = parseRoleMap('service-desk=agent, leads=manager, firebreak-admins=admin, staff=requester');

const policy: SingleSignOnPolicy = {
  allowedDomains: ['example.com'],
  roleClaim: 'groups',
  roleMap: map,
  defaultRole: null,
  autoProvision: true,
};
const ada = (groups: unknown, email = 'ada@example.com') => ({ email, emailVerified: true, claims: { groups } });

describe('role map', () => {
  it('reads value=role pairs and names what is wrong with the rest', () => {
    const parsed = parseRoleMap('a=agent,b=boss,=admin,c,a=admin, d = manager ');
    expect([...parsed.map]).toEqual([
      ['a', 'agent'],
      ['d', 'manager'],
    ]);
    expect(parsed.problems).toEqual([
      expect.stringContaining('"b=boss"'),
      expect.stringContaining('"=admin"'),
      expect.stringContaining('"c"'),
      '"a" is mapped to both agent and admin',
    ]);
  });

  it('a value containing "=" keeps everything before the last one', () => {
    expect([...parseRoleMap('CN=Admins,OU=Groups=admin').map]).toEqual([['OU=Groups', 'admin']]);
    expect([...parseRoleMap('cn=admins=admin').map]).toEqual([['cn=admins', 'admin']]);
  });
});

describe('role from a claim', () => {
  it('takes the highest mapped role among the values, from a list or one string', () => {
    expect(roleFromClaim(['staff', 'service-desk', 'unrelated'], map)).toBe('agent');
    expect(roleFromClaim(['firebreak-admins', 'leads'], map)).toBe('admin');
    expect(roleFromClaim('leads', map)).toBe('manager');
    expect(roleFromClaim(['unrelated'], map)).toBeNull();
    expect(roleFromClaim(undefined, map)).toBeNull();
    expect(roleFromClaim({ leads: true }, map)).toBeNull();
  });

  it('is the highest of the roles its mapped values give, whatever the order or extra values (property)', () => {
    const values = fc.constantFrom('service-desk', 'leads', 'firebreak-admins', 'staff', 'other', 'Leads', '');
    fc.assert(
      fc.property(fc.array(values, { maxLength: 6 }), (claim) => {
        const role = roleFromClaim(claim, map);
        const mapped = claim.map((v) => map.get(v)).filter((r) => r !== undefined);
        expect(roleFromClaim([...claim].reverse(), map)).toBe(role);
        if (mapped.length === 0) {
          expect(role).toBeNull();
        } else {
          expect(mapped).toContain(role);
          for (const r of mapped) expect(hasRoleAtLeast(role as Role, r)).toBe(true);
        }
      }),
      { examples: [[[]], [['other', 'Leads']], [['staff', 'firebreak-admins', 'service-desk']], [['leads', 'staff']]] },
    );
  });
});

describe('e-mail domain', () => {
  it('allows the listed domains only, by the part after the last @, ignoring case', () => {
    expect(emailDomainAllowed('ada@Example.COM', ['example.com'])).toBe(true);
    expect(emailDomainAllowed('ada@sub.example.com', ['example.com'])).toBe(false);
    expect(emailDomainAllowed('ada@example.com.evil.test', ['example.com'])).toBe(false);
    expect(emailDomainAllowed('"x@example.com"@evil.test', ['example.com'])).toBe(false);
    expect(emailDomainAllowed('ada@', ['example.com'])).toBe(false);
    expect(emailDomainAllowed('anyone@anywhere.test', [])).toBe(true);
  });

  it('never allows an address whose domain is not listed (property)', () => {
    const label = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
    fc.assert(
      fc.property(label, fc.array(label, { minLength: 1, maxLength: 2 }), label, (local, parts, other) => {
        const domain = `${parts.join('.')}.test`;
        expect(emailDomainAllowed(`${local}@${domain}`, [domain])).toBe(true);
        expect(emailDomainAllowed(`${local}@${domain}`, [`${other}.${domain}`])).toBe(false);
        expect(emailDomainAllowed(`${local}@${other}.${domain}`, [domain])).toBe(false);
      }),
      { examples: [['a', ['b'], 'c']] },
    );
  });
});

describe('a single sign-on decision', () => {
  it('creates a new person with the role of their groups when auto-provisioning is on', () => {
    expect(decideSingleSignOn(policy, ada(['service-desk']), null)).toEqual({ kind: 'create', email: 'ada@example.com', role: 'agent' });
  });

  it('refuses a stranger when auto-provisioning is off, and someone in no mapped group', () => {
    expect(decideSingleSignOn({ ...policy, autoProvision: false }, ada(['service-desk']), null)).toEqual({
      kind: 'refuse',
      reason: 'no_account',
    });
    expect(decideSingleSignOn(policy, ada(['other']), null)).toEqual({ kind: 'refuse', reason: 'no_role' });
    expect(decideSingleSignOn({ ...policy, defaultRole: 'requester' }, ada(['other']), null)).toMatchObject({ role: 'requester' });
  });

  it('moves a known person to the role their claim gives now, and says when it changed', () => {
    const agent = { role: 'agent' as const, active: true, breakGlass: false, linkedToAnotherSubject: false };
    expect(decideSingleSignOn(policy, ada(['service-desk']), agent)).toEqual({ kind: 'sign_in', role: 'agent', roleChanged: false });
    expect(decideSingleSignOn(policy, ada(['firebreak-admins']), agent)).toEqual({ kind: 'sign_in', role: 'admin', roleChanged: true });
    expect(decideSingleSignOn({ ...policy, roleClaim: null }, ada([]), agent)).toEqual({
      kind: 'sign_in',
      role: 'agent',
      roleChanged: false,
    });
  });

  it("never changes the break-glass admin's role, whatever their claim says", () => {
    const breakGlass = { role: 'admin' as const, active: true, breakGlass: true, linkedToAnotherSubject: false };
    expect(decideSingleSignOn(policy, ada(['service-desk']), breakGlass)).toEqual({ kind: 'sign_in', role: 'admin', roleChanged: false });
    expect(decideSingleSignOn({ ...policy, defaultRole: 'requester' }, ada(['other']), breakGlass)).toEqual({
      kind: 'sign_in',
      role: 'admin',
      roleChanged: false,
    });
  });

  it('refuses to link an account found by e-mail that is already linked to another subject at the provider', () => {
    const linked = { role: 'admin' as const, active: true, breakGlass: false, linkedToAnotherSubject: true };
    expect(decideSingleSignOn(policy, ada(['firebreak-admins']), linked)).toEqual({ kind: 'refuse', reason: 'linked_to_another_identity' });
  });

  it('refuses other domains, unverified or missing addresses and deactivated people', () => {
    expect(decideSingleSignOn(policy, ada(['leads'], 'ada@other.test'), null)).toEqual({ kind: 'refuse', reason: 'domain_not_allowed' });
    expect(decideSingleSignOn(policy, { ...ada(['leads']), emailVerified: false }, null)).toEqual({
      kind: 'refuse',
      reason: 'email_unverified',
    });
    expect(decideSingleSignOn(policy, { ...ada(['leads']), email: null }, null)).toEqual({ kind: 'refuse', reason: 'no_email' });
    expect(
      decideSingleSignOn(policy, ada(['leads']), { role: 'manager', active: false, breakGlass: false, linkedToAnotherSubject: false }),
    ).toEqual({
      kind: 'refuse',
      reason: 'deactivated',
    });
  });

  it('never lets anyone in from a domain that is not allowed, whatever their groups (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('service-desk', 'leads', 'firebreak-admins', 'x'), { maxLength: 3 }),
        fc.constantFrom(...ROLES),
        fc.boolean(),
        (groups, role, known) => {
          const decision = decideSingleSignOn(
            policy,
            ada(groups, 'eve@evil.test'),
            known ? { role, active: true, breakGlass: false, linkedToAnotherSubject: false } : null,
          );
          expect(decision).toEqual({ kind: 'refuse', reason: 'domain_not_allowed' });
        },
      ),
      { examples: [[['firebreak-admins'], 'admin', true]] },
    );
  });
});

describe('who may have a password', () => {
  const off = { enabled: false, breakGlassEmail: 'break-glass@example.com' };

  it('lets everyone have one while passwords are on', () => {
    for (const role of ROLES)
      expect(passwordAllowed({ enabled: true, breakGlassEmail: null }, { email: 'a@example.com', role })).toBe(true);
  });

  it('with passwords off, lets the break-glass admin alone have one (whatever the case of the address)', () => {
    expect(passwordAllowed(off, { email: 'Break-Glass@Example.com', role: 'admin' })).toBe(true);
    expect(passwordAllowed(off, { email: 'break-glass@example.com', role: 'manager' })).toBe(false);
    expect(passwordAllowed(off, { email: 'other-admin@example.com', role: 'admin' })).toBe(false);
    expect(passwordAllowed({ enabled: false, breakGlassEmail: null }, { email: 'break-glass@example.com', role: 'admin' })).toBe(false);
  });
});
