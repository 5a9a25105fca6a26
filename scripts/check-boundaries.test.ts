import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findViolations } from './check-boundaries.js';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('the import-boundary check', () => {
  it('fails when core/ imports I/O or the server, or a repository imports a service', () => {
    const files = {
      'core/a.ts': "import fs from 'node:fs';\nimport { x } from '../server/src/db/client.js';",
      'core/b.ts': "import { Pool } from 'pg';",
      'server/src/repositories/r.ts': "import { reportTicket } from '../services/ticket-intake.service.js';",
      'server/src/services/s.ts': "import { x } from '../http/route-types.js';",
    };
    const violations = findViolations(tree(files), Object.keys(files));
    expect(violations.map((v) => `${v.file}:${v.line} ${v.specifier}`)).toEqual([
      'core/a.ts:1 node:fs',
      'core/a.ts:2 ../server/src/db/client.js',
      'core/b.ts:1 pg',
      'server/src/repositories/r.ts:1 ../services/ticket-intake.service.js',
      'server/src/services/s.ts:1 ../http/route-types.js',
    ]);
  });

  it('keeps services away from the job runner and definitions, and job specs away from services', () => {
    const files = {
      'server/src/services/a.service.ts': [
        "import { scheduleJob } from '../jobs/schedule.js';",
        "import { slaCheckJob } from '../jobs/specs/sla-check.job-spec.js';",
        "import { HeldJobError } from '../jobs/errors.js';",
        "import { runDueJobs } from '../jobs/runner.js';",
        "import { slaCheckJobDefinition } from '../jobs/definitions/sla-check.job.js';",
      ].join('\n'),
      'server/src/jobs/specs/b.job-spec.ts': "import { x } from '../../services/sla.service.js';",
      'server/src/jobs/definitions/c.job.ts': "import { checkSlaTimer } from '../../services/sla.service.js';",
    };
    const violations = findViolations(tree(files), Object.keys(files));
    expect(violations.map((v) => `${v.file}:${v.line} ${v.specifier}`)).toEqual([
      'server/src/services/a.service.ts:4 ../jobs/runner.js',
      'server/src/services/a.service.ts:5 ../jobs/definitions/sla-check.job.js',
      'server/src/jobs/specs/b.job-spec.ts:1 ../../services/sla.service.js',
    ]);
  });

  it('passes pure core code and repositories that import the schema', () => {
    const files = {
      'core/a.ts': "import { z } from 'zod';\nimport { X } from './vocabulary.js';",
      'server/src/repositories/r.ts': "import { tickets } from '../db/schema/index.js';",
    };
    expect(findViolations(tree(files), Object.keys(files))).toEqual([]);
  });
});
