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

  it('passes pure core code and repositories that import the schema', () => {
    const files = {
      'core/a.ts': "import { z } from 'zod';\nimport { X } from './vocabulary.js';",
      'server/src/repositories/r.ts': "import { tickets } from '../db/schema/index.js';",
    };
    expect(findViolations(tree(files), Object.keys(files))).toEqual([]);
  });
});
