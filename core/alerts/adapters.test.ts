import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_SOURCES } from '../vocabulary.js';
import { adaptPayload, guessSource } from './adapters.js';
import { labelsFingerprint, normaliseSeverity, wellFormed } from './normalised-alert.js';

// Recorded payloads from the sources' own fixtures and docs, kept in the repository (sources and licences: fixtures/README.md).
const PAYLOADS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const load = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(PAYLOADS, name), 'utf8'));
const at = new Date('2026-03-02T08:00:00Z');

describe('Alertmanager webhook adapter', () => {
  it('reads a current payload (per-alert status, generatorURL): 3 firing alerts, distinct fingerprints', () => {
    const result = adaptPayload('alertmanager', load('alertmanager_webhook_alertmonitor_firing.json'), at);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.alerts.length).toBeGreaterThanOrEqual(3);
    const first = result.alerts[0];
    expect(first.status).toBe('firing');
    expect(first.severity).toBe('error'); // "major"
    // No annotations.summary here: the summary label wins over the description annotation.
    expect(first.summary).toBe('No physical connection to 172.29.254.30');
    expect(first.labels.alertname).toBe('ICMP ping failed');
    expect(first.sourceUrl).toMatch(/^http:\/\/9ed35ff90bf8:9090\/graph/);
    expect(first.startsAt?.toISOString()).toBe('2019-09-27T16:27:56.612Z');
    expect(first.endsAt).toBeNull(); // the zero time means "not set"
    expect(new Set(result.alerts.map((a) => a.fingerprint)).size).toBe(result.alerts.length);
  });

  it('gives the resolved capture the same fingerprints as the firing one, so it resolves the same alerts', () => {
    const firing = adaptPayload('alertmanager', load('alertmanager_webhook_alertmonitor_firing.json'), at);
    const resolved = adaptPayload('alertmanager', load('alertmanager_webhook_alertmonitor_resolved.json'), at);
    if (!firing.ok || !resolved.ok) throw new Error('not parsed');
    expect(resolved.alerts.every((a) => a.status === 'resolved')).toBe(true);
    expect(resolved.alerts.map((a) => a.fingerprint).sort()).toEqual(firing.alerts.map((a) => a.fingerprint).sort());
  });

  it('reads old payloads without per-alert status or fingerprint (prometheus-msteams fixtures)', () => {
    for (const name of [
      'alertmanager_webhook_msteams_prom_post_request.json',
      'alertmanager_webhook_msteams_large_prom_post_request.json',
      'alertmanager_webhook_msteams_12_alerts.json',
      'alertmanager_webhook_msteams_2_alerts.json',
      'alertmanager_webhook_msteams_without_common_summary.json',
    ]) {
      const body = load(name) as { alerts: unknown[]; status: string };
      const result = adaptPayload('alertmanager', body, at);
      if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.errors)}`);
      expect(result.alerts.length, name).toBe(body.alerts.length);
      for (const alert of result.alerts) {
        expect(alert.fingerprint, name).toMatch(/^[0-9a-f]{16}$/);
        expect(alert.summary.length, name).toBeGreaterThan(0);
        expect(['firing', 'resolved'], name).toContain(alert.status);
      }
    }
    expect(
      (adaptPayload('alertmanager', load('alertmanager_webhook_msteams_large_prom_post_request.json'), at) as { alerts: unknown[] }).alerts,
    ).toHaveLength(19);
  });

  it("computes Alertmanager's own fingerprint (FNV-1a 64 over sorted labels)", () => {
    // The empty label set hashes to FNV-1a's offset basis; the live check against the real binary's
    // fingerprints is in alertmanager.process.test.ts.
    expect(labelsFingerprint({})).toBe('cbf29ce484222325');
    expect(labelsFingerprint({ b: '2', a: '1' })).toBe(labelsFingerprint({ a: '1', b: '2' }));
    expect(labelsFingerprint({ a: '1' })).not.toBe(labelsFingerprint({ a: '2' }));
  });

  it('names what is wrong: missing alerts, labels, bad status', () => {
    const missing = adaptPayload('alertmanager', { status: 'firing' }, at);
    expect(missing).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'alerts' })] });
    const noLabels = adaptPayload('alertmanager', { alerts: [{ status: 'firing', labels: {} }] }, at);
    expect(noLabels.ok === false && noLabels.errors[0].field).toBe('alerts.0.labels');
    const badStatus = adaptPayload('alertmanager', { alerts: [{ status: 'burning', labels: { a: 'b' } }] }, at);
    expect(badStatus.ok === false && badStatus.errors[0].field).toBe('alerts.0.status');
  });

  it('says when a payload is from another source', () => {
    const result = adaptPayload('alertmanager', load('pagerduty_events_v2_trigger.json'), at);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toEqual({
      field: 'body',
      message: 'looks like a pagerduty payload, but this integration expects alertmanager',
    });
  });
});

describe('Grafana alerting webhook adapter', () => {
  it("reads the docs example: two firing alerts with Grafana's extra fields", () => {
    const result = adaptPayload('grafana', load('grafana_alerting_webhook_docs_example.json'), at);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.alerts).toHaveLength(2);
    expect(result.alerts[0]).toMatchObject({
      status: 'firing',
      summary: 'This alert was triggered for zone us-1',
      labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
      sourceUrl: 'https://play.grafana.org/alerting/1afz29v7z/edit',
      severity: 'warning',
    });
    expect(guessSource(load('grafana_alerting_webhook_docs_example.json'))).toBe('grafana');
  });
});

describe('PagerDuty Events v2 adapter', () => {
  it('reads a trigger shaped as the API schema describes, with its dedup_key', () => {
    const result = adaptPayload('pagerduty', load('pagerduty_events_v2_trigger.json'), at);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.alerts[0]).toMatchObject({
      fingerprint: 'db02/postgres',
      status: 'firing',
      severity: 'critical',
      summary: 'Disk 97% full on db02.firebreak.test',
      labels: { source: 'db02.firebreak.test', component: 'postgres', group: 'prod-db', class: 'disk', severity: 'critical' },
      sourceUrl: 'https://monitor.firebreak.test',
    });
  });

  it('maps acknowledge and resolve, which need a dedup_key', () => {
    const ack = adaptPayload('pagerduty', { event_action: 'acknowledge', dedup_key: 'k' }, at);
    expect(ack.ok && ack.alerts[0]).toMatchObject({ status: 'firing', acknowledged: true, fingerprint: 'k' });
    const resolve = adaptPayload('pagerduty', { event_action: 'resolve', dedup_key: 'k' }, at);
    expect(resolve.ok && resolve.alerts[0]).toMatchObject({ status: 'resolved', fingerprint: 'k' });
    const keyless = adaptPayload('pagerduty', { event_action: 'resolve' }, at);
    expect(!keyless.ok && keyless.errors).toEqual([{ field: 'dedup_key', message: 'is required to resolve an alert' }]);
  });

  it('checks a trigger as PagerDuty does: summary, source and severity, naming each', () => {
    const result = adaptPayload('pagerduty', { event_action: 'trigger', payload: { severity: 'loud' } }, at);
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual(['payload.summary', 'payload.source', 'payload.severity']);
  });

  it('derives the same dedup_key for a retried trigger without one', () => {
    const event = { event_action: 'trigger', payload: { summary: 'disk full', source: 'db1', severity: 'error' } };
    const a = adaptPayload('pagerduty', event, at);
    const b = adaptPayload('pagerduty', structuredClone(event), at);
    expect(a.ok && b.ok && a.alerts[0].fingerprint === b.alerts[0].fingerprint).toBe(true);
  });
});

describe('generic JSON adapter', () => {
  it('takes one object, a list, or { alerts }', () => {
    const one = adaptPayload(
      'generic',
      { summary: 'Disk full', fingerprint: 'db1-disk', severity: 'critical', labels: { host: 'db1' } },
      at,
    );
    expect(one.ok && one.alerts[0]).toMatchObject({
      fingerprint: 'db1-disk',
      severity: 'critical',
      status: 'firing',
      labels: { host: 'db1' },
    });
    const list = adaptPayload('generic', [{ title: 'a' }, { title: 'b', status: 'resolved' }], at);
    expect(list.ok && list.alerts.map((a) => a.status)).toEqual(['firing', 'resolved']);
    const wrapped = adaptPayload('generic', { alerts: [{ summary: 'x' }, { nope: 1 }] }, at);
    expect(!wrapped.ok && wrapped.errors).toEqual([{ field: 'alerts.1.summary', message: 'is required (or "title"): say what is wrong' }]);
  });
});

describe('severity words', () => {
  it('maps common words onto the four severities', () => {
    expect(['critical', 'page', 'P1'].map(normaliseSeverity)).toEqual(['critical', 'critical', 'critical']);
    expect(['major', 'error'].map(normaliseSeverity)).toEqual(['error', 'error']);
    expect(['info', 'low', 'none'].map(normaliseSeverity)).toEqual(['info', 'info', 'info']);
    expect([undefined, 'whatever', 42].map(normaliseSeverity)).toEqual(['warning', 'warning', 'warning']);
  });
});

describe('any JSON, any source', () => {
  it('never throws: it gives alerts or field errors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALERT_SOURCES), fc.jsonValue(), (source, body) => {
        const result = adaptPayload(source, body, at);
        if (result.ok) {
          for (const alert of result.alerts) {
            expect(typeof alert.fingerprint).toBe('string');
            expect(alert.fingerprint.length).toBeGreaterThan(0);
          }
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) expect(typeof e.field).toBe('string');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on payloads shaped like each source with random parts', () => {
    const anyValue = fc.jsonValue({ maxDepth: 2 });
    const alertLike = fc.record(
      {
        status: fc.oneof(fc.constantFrom('firing', 'resolved'), anyValue),
        labels: fc.oneof(fc.dictionary(fc.string(), fc.string()), anyValue),
        annotations: anyValue,
        startsAt: anyValue,
        endsAt: anyValue,
        generatorURL: anyValue,
      },
      { requiredKeys: [] },
    );
    const bodies = fc.oneof(
      fc.record(
        { status: anyValue, alerts: fc.array(alertLike, { maxLength: 5 }), commonLabels: anyValue, externalURL: anyValue },
        { requiredKeys: ['alerts'] },
      ),
      fc.record(
        {
          event_action: fc.oneof(fc.constantFrom('trigger', 'acknowledge', 'resolve'), anyValue),
          dedup_key: anyValue,
          payload: fc.oneof(
            fc.record({
              summary: anyValue,
              source: anyValue,
              severity: fc.oneof(fc.constantFrom('critical', 'info'), anyValue),
              timestamp: anyValue,
            }),
            anyValue,
          ),
          links: anyValue,
          client_url: anyValue,
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...ALERT_SOURCES), bodies, (source, body) => {
        expect(() => adaptPayload(source, body, at)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('makes every string well-formed (lone surrogates replaced), which jsonb requires', () => {
    expect(wellFormed({ 'k\ud800': ['a\udc00b', '\ud83d\ude00'] })).toEqual({ 'k\ufffd': ['a\ufffdb', '\ud83d\ude00'] });
  });
});
