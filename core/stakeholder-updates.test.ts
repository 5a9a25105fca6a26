import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_UPDATE_TEMPLATES,
  pendingEvaluationPoint,
  renderTemplate,
  TEMPLATE_VARIABLE_NAMES,
  templateProblems,
  unknownVariables,
} from './stakeholder-updates.js';

const values = {
  service: 'VPN',
  incident_number: 'INC0001042',
  title: 'VPN down',
  priority: 'P1',
  started_at: '09:07 UTC on 1 December 2026',
  next_update_at: '09:37 UTC on 1 December 2026',
};
const at = (iso: string) => new Date(iso);

describe('update templates', () => {
  it('fills in every variable of the default templates, leaving no braces', () => {
    for (const text of Object.values(DEFAULT_UPDATE_TEMPLATES)) {
      expect(unknownVariables(text)).toEqual([]);
      expect(renderTemplate(text, values)).not.toMatch(/[{}]/);
    }
    expect(renderTemplate(DEFAULT_UPDATE_TEMPLATES.investigating, values)).toBe(
      'We are investigating a disruption of VPN that started at 09:07 UTC on 1 December 2026. We will post the next update by 09:37 UTC on 1 December 2026.',
    );
  });

  it('names each variable that does not exist, once, in the order written', () => {
    expect(unknownVariables('{service} down; {eta} and {owner}, again {eta}')).toEqual(['eta', 'owner']);
    expect(templateProblems({ ...DEFAULT_UPDATE_TEMPLATES, monitoring: 'Fixed by {engineer}' })).toEqual([
      { field: 'monitoring', message: expect.stringContaining('is not a variable: {engineer}') },
    ]);
  });

  it('never changes text outside the variables (what people write is kept as written, markup included)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('{')),
        (text) => {
          expect(renderTemplate(text, values)).toBe(text);
          expect(unknownVariables(text)).toEqual([]);
        },
      ),
    );
    expect(renderTemplate('<b>{service}</b>', { ...values, service: '<script>' })).toBe('<b><script></b>');
  });

  it('knows every variable it documents', () => {
    for (const name of TEMPLATE_VARIABLE_NAMES) expect(renderTemplate(`{${name}}`, values)).toBe(values[name]);
  });
});

describe('evaluation points', () => {
  const declared = { type: 'major_declared', at: at('2026-12-01T09:07:00Z'), changes: null };
  const update = (iso: string) => ({ type: 'stakeholder_update', at: at(iso), changes: null });

  it('proposes the composer after a declaration, until an update is sent', () => {
    expect(pendingEvaluationPoint([declared])).toEqual({ point: 'declared', at: declared.at });
    expect(pendingEvaluationPoint([declared, update('2026-12-01T09:10:00Z')])).toBeNull();
  });

  it('asks again at a priority change, a scope change and the resolution', () => {
    const priority = { type: 'field_changed', at: at('2026-12-01T10:00:00Z'), changes: [{ field: 'priority', from: 2, to: 1 }] };
    const scope = { type: 'scope_changed', at: at('2026-12-01T10:05:00Z'), changes: [{ field: 'scope', from: 'local', to: 'global' }] };
    const resolved = {
      type: 'state_changed',
      at: at('2026-12-01T10:40:00Z'),
      changes: [{ field: 'state', from: 'in_progress', to: 'resolved' }],
    };
    const sent = update('2026-12-01T09:10:00Z');
    expect(pendingEvaluationPoint([declared, sent, priority])?.point).toBe('priority_changed');
    expect(pendingEvaluationPoint([declared, sent, scope])?.point).toBe('scope_changed');
    expect(pendingEvaluationPoint([declared, sent, priority, resolved])?.point).toBe('resolved');
    expect(pendingEvaluationPoint([declared, sent, resolved, update('2026-12-01T10:41:00Z')])).toBeNull();
    // A title edit is no evaluation point.
    expect(
      pendingEvaluationPoint([
        declared,
        sent,
        { type: 'field_changed', at: resolved.at, changes: [{ field: 'title', from: 'a', to: 'b' }] },
      ]),
    ).toBeNull();
  });
});
