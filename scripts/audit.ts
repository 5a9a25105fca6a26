/**
 * `npm run audit`: checks the installed dependencies against the registry's advisory database
 * (`npm audit --json`) and prints each finding in a line a person reads. Exits 1 when there is a
 * finding at or above the audit level (`--audit-level=high`; default any), 0 when there is none.
 *
 * Some registries (mirrors, proxies, private registries) do not offer npm's audit endpoint and
 * answer 404 or 405. Then the audit cannot run there: this says so in one line, with the
 * registry's answer, and exits 0 — an audit that could not run is not a finding, and CI on such a
 * registry should not fail for it. Anything else that stops the audit (npm missing, no network,
 * output that is not npm's report) exits 2 with the reason. Extra arguments go to `npm audit`
 * (e.g. `--omit=dev`).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  name: string;
  severity: Severity;
  /** The advisories' titles and links; for a package vulnerable through another, which one. */
  advisories: string[];
  fix: string;
}

export type AuditVerdict =
  | { kind: 'findings'; findings: Finding[]; total: number }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'failed'; reason: string };

interface NpmVia {
  title?: string;
  url?: string;
  name?: string;
}
interface NpmVulnerability {
  name: string;
  severity: Severity;
  via: (string | NpmVia)[];
  fixAvailable: boolean | { name: string; version: string; isSemVerMajor?: boolean };
}

/** Reads what `npm audit --json` printed (npm 7 and later: a report, or an error object). */
export function readAuditReport(stdout: string, minimum: Severity = 'info'): AuditVerdict {
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return {
      kind: 'failed',
      reason: `npm audit printed something that is not its JSON report: ${stdout.trim().slice(0, 200) || '(nothing)'}`,
    };
  }
  const vulnerabilities = report.vulnerabilities as Record<string, NpmVulnerability> | undefined;
  if (vulnerabilities && typeof vulnerabilities === 'object') {
    const atLeast = SEVERITIES.indexOf(minimum);
    const findings = Object.values(vulnerabilities)
      .filter((v) => SEVERITIES.indexOf(v.severity) >= atLeast)
      .sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || a.name.localeCompare(b.name))
      .map((v) => ({
        name: v.name,
        severity: v.severity,
        advisories: v.via.map((via) =>
          typeof via === 'string' ? `through ${via}` : [via.title ?? via.name ?? 'an advisory', via.url].filter(Boolean).join(' '),
        ),
        fix:
          v.fixAvailable === true
            ? 'fix: npm audit fix'
            : v.fixAvailable
              ? `fix: ${v.fixAvailable.name}@${v.fixAvailable.version}${v.fixAvailable.isSemVerMajor ? ' (a major version: check it)' : ''}`
              : 'no fix published yet',
      }));
    return { kind: 'findings', findings, total: Object.keys(vulnerabilities).length };
  }
  // npm 9+ prints the registry's answer ({statusCode, uri, message}); older npm {error: {code: 'E405', summary}}.
  const error = (report.error ?? {}) as { code?: string; summary?: string; detail?: string };
  const status = typeof report.statusCode === 'number' ? report.statusCode : Number(/^E(\d{3})$/.exec(error.code ?? '')?.[1] ?? Number.NaN);
  const message = String(report.message ?? error.summary ?? error.detail ?? 'no reason given');
  if (status >= 400 && status < 600) {
    const where = typeof report.uri === 'string' ? new URL(report.uri).origin : 'the registry';
    return {
      kind: 'unavailable',
      reason: `the registry ${where} refused npm's audit endpoint (${message.replace(/ - (POST|GET) \S+$/, '')})`,
    };
  }
  return { kind: 'failed', reason: `npm audit failed: ${message}` };
}

/** Where the script runs `npm` and what it prints to: the real process, or a test's stand-ins. */
export interface AuditIo {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  error: (line: string) => void;
}

/** `npm run audit [--audit-level=LEVEL]`: its exit code (0 clean or not auditable here, 1 findings, 2 cannot tell). */
export function runAudit(args: string[], io: AuditIo = { env: process.env, log: console.log, error: console.error }): number {
  const levelArg = args.find((a) => a.startsWith('--audit-level='));
  const level = (levelArg?.split('=')[1] ?? 'info') as Severity;
  if (!SEVERITIES.includes(level)) {
    io.error(`--audit-level must be one of ${SEVERITIES.join(', ')}`);
    return 2;
  }
  const npm = spawnSync('npm', ['audit', '--json', ...args.filter((a) => a !== levelArg)], { encoding: 'utf8', env: io.env });
  if (npm.error) {
    io.error(`The dependency audit could not run: ${npm.error.message}`);
    return 2;
  }
  const verdict = readAuditReport(npm.stdout, level);
  if (verdict.kind === 'unavailable') {
    io.log(`The dependency audit could not run here: ${verdict.reason}. Audit against a registry that offers it (see README, Security).`);
    return 0;
  }
  if (verdict.kind === 'failed') {
    io.error(`The dependency audit could not run: ${verdict.reason}${npm.stderr ? `\n${npm.stderr.trim()}` : ''}`);
    return 2;
  }
  for (const f of verdict.findings) {
    io.log(`${f.severity.padEnd(8)} ${f.name}: ${f.advisories.join('; ')} — ${f.fix}`);
  }
  if (verdict.findings.length > 0) {
    io.log(`${verdict.findings.length} vulnerable package(s) at or above "${level}".`);
    return 1;
  }
  io.log(
    `No known vulnerabilities at or above "${level}" in the installed dependencies${verdict.total > 0 ? ` (${verdict.total} below it)` : ''}.`,
  );
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(runAudit(process.argv.slice(2)));
}
