import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readAuditReport, runAudit } from './audit.js';

/** What `npm audit --json` (npm 11) prints against this registry, verbatim but for the date. */
const REFUSED = JSON.stringify({
  message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  method: 'POST',
  uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  headers: { allow: ['GET,HEAD'], 'content-length': ['0'] },
  statusCode: 405,
  body: '',
  error: { summary: '', detail: '' },
});

/** npm's report format (auditReportVersion 2) with a direct finding and one through it. */
const FINDINGS = JSON.stringify({
  auditReportVersion: 2,
  vulnerabilities: {
    minimist: {
      name: 'minimist',
      severity: 'critical',
      isDirect: false,
      via: [
        {
          source: 1179,
          name: 'minimist',
          title: 'Prototype Pollution in minimist',
          url: 'https://github.com/advisories/GHSA-xvch-5gv4-984h',
          severity: 'critical',
          range: '<0.2.4',
        },
      ],
      effects: ['mkdirp'],
      range: '<0.2.4',
      nodes: ['node_modules/minimist'],
      fixAvailable: true,
    },
    mkdirp: {
      name: 'mkdirp',
      severity: 'low',
      isDirect: true,
      via: ['minimist'],
      effects: [],
      range: '0.4.1 - 0.5.1',
      nodes: ['node_modules/mkdirp'],
      fixAvailable: { name: 'mkdirp', version: '3.0.1', isSemVerMajor: true },
    },
  },
  metadata: { vulnerabilities: { info: 0, low: 1, moderate: 0, high: 0, critical: 1, total: 2 } },
});

describe('reading npm audit', () => {
  it('says the audit could not run on a registry that refuses the audit endpoint', () => {
    expect(readAuditReport(REFUSED)).toEqual({
      kind: 'unavailable',
      reason: "the registry https://registry.npmjs.org refused npm's audit endpoint (405 Method Not Allowed)",
    });
    expect(readAuditReport(JSON.stringify({ error: { code: 'E404', summary: 'Not Found' } }))).toMatchObject({ kind: 'unavailable' });
  });

  it('lists findings, most severe first, with their advisories and fixes', () => {
    expect(readAuditReport(FINDINGS)).toEqual({
      kind: 'findings',
      total: 2,
      findings: [
        {
          name: 'minimist',
          severity: 'critical',
          advisories: ['Prototype Pollution in minimist https://github.com/advisories/GHSA-xvch-5gv4-984h'],
          fix: 'fix: npm audit fix',
        },
        { name: 'mkdirp', severity: 'low', advisories: ['through minimist'], fix: 'fix: mkdirp@3.0.1 (a major version: check it)' },
      ],
    });
    expect(readAuditReport(FINDINGS, 'high')).toMatchObject({ kind: 'findings', findings: [{ name: 'minimist' }] });
  });

  it('finds nothing in a clean report, and fails on anything that is not npm’s answer', () => {
    expect(readAuditReport(JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: {} }))).toEqual({
      kind: 'findings',
      findings: [],
      total: 0,
    });
    expect(readAuditReport('npm ERR! something')).toMatchObject({ kind: 'failed' });
    expect(readAuditReport(JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND registry' } }))).toEqual({
      kind: 'failed',
      reason: 'npm audit failed: getaddrinfo ENOTFOUND registry',
    });
  });
});

describe('npm run audit', () => {
  /** A folder with an `npm` that prints `report` as `npm audit --json` would (and exits 1, as npm does). */
  const fakeNpm = (report: string) => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-npm-'));
    fs.writeFileSync(path.join(bin, 'report.json'), report);
    fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\ncat "${path.join(bin, 'report.json')}"\nexit 1\n`, { mode: 0o755 });
    return {
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
      remove: () => fs.rmSync(bin, { recursive: true, force: true }),
    };
  };
  /**
   * The script's logic in this process, with that `npm` on its PATH (a real child process each
   * time; only starting a TypeScript runtime per case is saved: that cost ~3 s a case).
   */
  const run = (report: string, ...args: string[]) => {
    const npm = fakeNpm(report);
    const lines: string[] = [];
    try {
      const status = runAudit(args, { env: npm.env, log: (l) => lines.push(l), error: (l) => lines.push(l) });
      return { status, out: lines.join('\n') };
    } finally {
      npm.remove();
    }
  };

  it('exits 0 with one clear line where the registry refuses the audit, 1 on a finding, 2 when it cannot tell', () => {
    const refused = run(REFUSED);
    expect(refused.status).toBe(0);
    expect(refused.out.trim().split('\n')).toEqual([
      expect.stringMatching(/^The dependency audit could not run here: the registry https:\/\/registry\.npmjs\.org refused/),
    ]);
    const found = run(FINDINGS);
    expect(found.status).toBe(1);
    expect(found.out).toContain('critical minimist: Prototype Pollution in minimist');
    expect(run(FINDINGS, '--audit-level=critical').out).not.toContain('mkdirp');
    expect(run(JSON.stringify({ auditReportVersion: 2, vulnerabilities: {} })).status).toBe(0);
    expect(run('not json').status).toBe(2);
    expect(run(FINDINGS, '--audit-level=dire').status).toBe(2);
  });

  it('is the script `npm run audit` starts: its exit code and output are those of the logic above', () => {
    const npm = fakeNpm(FINDINGS);
    try {
      const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'audit.ts');
      const result = spawnSync(process.execPath, ['--import', 'tsx', script, '--audit-level=critical'], { encoding: 'utf8', env: npm.env });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('critical minimist: Prototype Pollution in minimist');
      expect(result.stdout).not.toContain('mkdirp');
    } finally {
      npm.remove();
    }
  });
});
