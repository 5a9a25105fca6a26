import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  announcementText,
  firstNoticeDueAt,
  firstNoticeStillNews,
  hearsOf,
  isPublicIncident,
  normaliseEmail,
} from './status-subscriptions.js';

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

describe('the automatic first notice', () => {
  const started = new Date('2026-05-04T09:07:00Z');

  it('is due the set number of minutes after the incident went public (0: at once)', () => {
    expect(firstNoticeDueAt(started, 5).toISOString()).toBe('2026-05-04T09:12:00.000Z');
    expect(firstNoticeDueAt(started, 0).toISOString()).toBe(started.toISOString());
  });

  it('still goes out only for an open public incident on which the desk has not posted', () => {
    expect(firstNoticeStillNews({ publicIncident: true, open: true, deskPostedSince: false })).toBe(true);
    expect(firstNoticeStillNews({ publicIncident: true, open: true, deskPostedSince: true })).toBe(false);
    expect(firstNoticeStillNews({ publicIncident: true, open: false, deskPostedSince: false })).toBe(false);
    expect(firstNoticeStillNews({ publicIncident: false, open: true, deskPostedSince: false })).toBe(false);
  });

  it('is never earlier than the incident went public, whatever the delay', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 60 }), (minutes) => firstNoticeDueAt(started, minutes).getTime() >= started.getTime()),
    );
  });

  it('is about incidents the public may know of: global or major', () => {
    expect(isPublicIncident({ kind: 'incident', scope: 'global', majorSince: null })).toBe(true);
    expect(isPublicIncident({ kind: 'incident', scope: 'local', majorSince: started })).toBe(true);
    expect(isPublicIncident({ kind: 'incident', scope: 'local', majorSince: null })).toBe(false);
    expect(isPublicIncident({ kind: 'service_request', scope: 'global', majorSince: null })).toBe(false);
  });
});
