/**
 * The import boundaries that keep the architecture honest (ARCHITECTURE.md):
 * - core/ is pure: it imports nothing that does I/O and nothing from server/ or web/;
 * - repositories hold SQL only: they never import services, http or jobs;
 * - services never import http (routes call services, not the other way round);
 * - services import from jobs/ only specs, the typed scheduler and job errors, and those never
 *   import services (the definitions that bind handlers to services sit outside that set);
 * - the web UI imports nothing from server/: it talks to the server over HTTP only, and shares
 *   core/'s vocabulary and contracts (as types).
 * Run by `npm run lint`; exits 1 and names every offending import.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

const IO_MODULES = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'child_process',
  'cluster',
  'worker_threads',
  'dns',
  'tls',
  'readline',
  'process',
];
const IO_PACKAGES = ['pg', '@electric-sql/pglite', 'drizzle-orm', 'fastify', 'nodemailer', 'pino'];

/** The part of jobs/ that services may import: specs, the typed scheduler, job errors. */
const SERVICE_FACING_JOBS = /^server\/src\/jobs\/(specs\/[^/]+|schedule\.js|errors\.js|job-spec\.js)$/;

interface Rule {
  name: string;
  appliesTo: (file: string) => boolean;
  forbids: (specifier: string, resolved: string | null) => boolean;
}

const RULES: Rule[] = [
  {
    name: 'core/ must stay pure (no I/O modules)',
    appliesTo: (f) => f.startsWith('core/'),
    forbids: (s) => {
      const bare = s.replace(/^node:/, '');
      return IO_MODULES.includes(bare) || IO_PACKAGES.some((p) => s === p || s.startsWith(`${p}/`));
    },
  },
  {
    name: 'core/ must not import server/ or web/',
    appliesTo: (f) => f.startsWith('core/'),
    forbids: (_s, r) => r !== null && (r.startsWith('server/') || r.startsWith('web/')),
  },
  {
    name: 'repositories must not import services, http or jobs',
    appliesTo: (f) => f.startsWith('server/src/repositories/'),
    forbids: (_s, r) => r !== null && /^server\/src\/(services|http|jobs)\//.test(r),
  },
  {
    name: 'services must not import http',
    appliesTo: (f) => f.startsWith('server/src/services/'),
    forbids: (_s, r) => (r ?? '').startsWith('server/src/http/'),
  },
  {
    // Services schedule jobs by their specs; the runner, the registry and the definitions (which
    // call services) stay out of reach, so services → jobs → services never cycles.
    name: 'services may import only job specs, scheduling and job errors from jobs/',
    appliesTo: (f) => f.startsWith('server/src/services/'),
    forbids: (_s, r) => (r ?? '').startsWith('server/src/jobs/') && !SERVICE_FACING_JOBS.test(r ?? ''),
  },
  {
    name: 'what services import from jobs/ must not import services',
    appliesTo: (f) => SERVICE_FACING_JOBS.test(f.replace(/\.ts$/, '.js')),
    forbids: (_s, r) => (r ?? '').startsWith('server/src/services/'),
  },
  {
    name: 'web/ must not import server/',
    appliesTo: (f) => f.startsWith('web/'),
    forbids: (_s, r) => (r ?? '').startsWith('server/'),
  },
];

const IMPORT = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

export function findViolations(root: string, files: string[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const rules = RULES.filter((r) => r.appliesTo(file));
    if (rules.length === 0) continue;
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      const resolved = specifier.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : null;
      for (const rule of rules) {
        if (rule.forbids(specifier, resolved)) {
          const line = text.slice(0, text.indexOf(specifier, match.index)).split('\n').length;
          violations.push({ file, line, specifier, rule: rule.name });
        }
      }
    }
  }
  return violations;
}

function listSources(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : listSources(root, rel);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [rel] : [];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files = [...listSources(root, 'core'), ...listSources(root, 'server/src'), ...listSources(root, 'web/src')];
  const violations = findViolations(root, files);
  for (const v of violations) console.error(`${v.file}:${v.line} imports '${v.specifier}': ${v.rule}`);
  if (violations.length > 0) {
    console.error(`${violations.length} import boundary violation(s).`);
    process.exit(1);
  }
  console.log(`Import boundaries hold across ${files.length} files.`);
}
