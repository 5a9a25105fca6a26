import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NO_DELIVERY } from '../../test/delivery.js';
import { defineJob } from './job-definition.js';
import { JOB_KINDS, type JobSpec } from './job-spec.js';
import { buildJobRegistry, JOB_DEFINITIONS, JobRegistryError, registryOf } from './registry.js';

const spec = (kind: string): JobSpec => ({ kind, payload: z.object({}), maxAttempts: 1, idOf: () => kind });
const job = (kind: string) => defineJob(spec(kind), { run: async () => {} });

describe('the job registry, checked at start', () => {
  it('runs every known kind, each from exactly one definition', () => {
    const registry = buildJobRegistry(NO_DELIVERY);
    expect([...registry.keys()].sort()).toEqual([...JOB_KINDS].sort());
    expect(JOB_DEFINITIONS.map((d) => d.spec.kind).sort()).toEqual([...JOB_KINDS].sort());
  });

  it('refuses a kind defined twice, naming it', () => {
    expect(() => registryOf([job('a'), job('b'), job('a')], NO_DELIVERY, ['a', 'b'])).toThrow(
      new JobRegistryError('The job definitions are inconsistent (server/src/jobs/registry.ts): the kind "a" is defined twice.'),
    );
  });

  it('refuses a known kind with no definition, and a definition of a kind nobody declared', () => {
    expect(() => registryOf([job('a'), job('stray')], NO_DELIVERY, ['a', 'b'])).toThrow(
      'The job definitions are inconsistent (server/src/jobs/registry.ts): the kind "stray" is defined but is not one of the known kinds (JOB_KINDS); the kind "b" has no definition.',
    );
  });
});
