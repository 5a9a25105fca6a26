import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { announcementText, hearsOf, normaliseEmail } from './status-subscriptions.js';

describe('normaliseEmail', () => {
  it('stores one form of an address, so a second subscribe finds the first', () => {
    expect(normaliseEmail('  Ann.Lee@Example.ORG ')).toBe('ann.lee@example.org');
    expect(normaliseEmail('ops+status@mail.example.co.uk')).toBe('ops+status@mail.example.co.uk');
  });

  it.each([
    '',
    'ann',
    'ann@',
    '@example.org',
    'ann@example',
    'ann@@example.org',
    'ann lee@example.org',
    'ann@exa mple.org',
    '<ann@example.org>',
    'ann@-example.org',
    '.ann@example.org',
    'a..b@example.org',
    `${'a'.repeat(65)}@example.org`,
  ])('refuses %j', (input) => {
    expect(normaliseEmail(input)).toBeNull();
  });

  it('is idempotent: a stored address normalises to itself', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        const once = normaliseEmail(address);
        if (once !== null) expect(normaliseEmail(once)).toBe(once);
      }),
    );
  });
});

describe('announcementText', () => {
  const incident = { number: 'INC0000042', title: 'VPN down', resolutionNotes: null };

  it('carries the desk words as written, with the services it affects', () => {
    const text = announcementText({
      pageName: 'Acme status',
      what: 'update',
      incident,
      comment: 'We found <b>it</b>.',
      componentNames: ['VPN', 'Email'],
    });
    expect(text.subject).toBe('[Acme status] Update: VPN down');
    expect(text.body).toBe('Update: VPN down\n\nWe found <b>it</b>.\n\nAffects: VPN, Email');
  });

  it('names an update by the stage it was written for, and a plain public reply as an update', () => {
    const base = { pageName: 'S', what: 'update' as const, incident, comment: 'Cause found.', componentNames: [] };
    expect(announcementText({ ...base, stage: 'identified' }).subject).toBe('[S] Identified: VPN down');
    expect(announcementText({ ...base, stage: 'monitoring' }).body).toMatch(/^Monitoring: VPN down/);
    expect(announcementText({ ...base, stage: 'maintenance' }).subject).toBe('[S] Update: VPN down');
    expect(announcementText({ ...base, stage: null }).subject).toBe('[S] Update: VPN down');
  });

  it('says investigating when an incident starts, and the resolution when it ends', () => {
    expect(announcementText({ pageName: 'S', what: 'started', incident, comment: null, componentNames: [] }).body).toContain(
      'investigating',
    );
    const resolved = announcementText({
      pageName: 'S',
      what: 'resolved',
      incident: { ...incident, resolutionNotes: 'Restarted the concentrator.' },
      comment: null,
      componentNames: [],
    });
    expect(resolved.subject).toBe('[S] Resolved: VPN down');
    expect(resolved.body).toContain('Restarted the concentrator.');
  });
});

describe('hearsOf', () => {
  it('an all-components subscriber hears everything; others only their components', () => {
    expect(hearsOf([], ['a'])).toBe(true);
    expect(hearsOf(['a', 'b'], ['b'])).toBe(true);
    expect(hearsOf(['a'], ['b'])).toBe(false);
  });
});
