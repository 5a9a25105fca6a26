import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CsvError } from '../../core/import/csv-source.js';
import { checkGenericMapping } from '../../core/import/generic-mapping.js';
import { checkMapping } from '../../core/import/servicenow-mapping.js';
import { systemClock } from './adapters/clock.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { openAndMigrate } from './main.js';
import { beginImportRun, type ImportOptions, runImport } from './services/import-run.service.js';
import { ImportRefused, type ImportReport } from './services/servicenow-import.service.js';

/**
 * `firebreak import servicenow FILE [--dry-run] [--date-format F] [--time-zone Z] [--mapping M]`
 * and `firebreak import generic FILE --mapping M [--dry-run] [--date-format F] [--time-zone Z]`
 * (issue 16; the generic mapping is described in the README). Loaded only for this command.
 */
export async function importCommand(
  config: Config,
  args: string[],
  /** The desk's database, migrated (tests hand in theirs). */
  openDatabase: (config: Config) => Promise<Database> = openAndMigrate,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean' },
      'date-format': { type: 'string' },
      'time-zone': { type: 'string' },
      mapping: { type: 'string' },
    },
  });
  const [source, file] = positionals;
  if ((source !== 'servicenow' && source !== 'generic') || !file || (source === 'generic' && !values.mapping)) {
    console.error(
      'Usage: firebreak import servicenow FILE [--dry-run] [--date-format D/M/YYYY HH:mm] [--time-zone Europe/London] [--mapping FILE]\n' +
        '       firebreak import generic FILE --mapping MAPPING.json [--dry-run] [--date-format D/M/YYYY HH:mm] [--time-zone Europe/London]',
    );
    return 2;
  }
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    console.error(`No file at ${file}.`);
    return 2;
  }
  const timeZone = values['time-zone'] ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    console.error(`--time-zone: "${timeZone}" is not a time zone (e.g. Europe/London, America/New_York, UTC).`);
    return 2;
  }
  let mapping: ReturnType<typeof checkMapping> | undefined;
  let columnMapping: ReturnType<typeof checkGenericMapping> | undefined;
  if (values.mapping) {
    try {
      const json = JSON.parse(fs.readFileSync(values.mapping, 'utf8'));
      if (source === 'generic') columnMapping = checkGenericMapping(json);
      else mapping = checkMapping(json);
    } catch (err) {
      console.error(`--mapping: ${values.mapping} is not a JSON file (${(err as Error).message}).`);
      return 2;
    }
    const checked = columnMapping ?? mapping;
    if (checked && !checked.ok) {
      console.error(`--mapping: ${values.mapping} has mistakes:\n  ${checked.problems.join('\n  ')}`);
      return 2;
    }
  }
  const size = fs.statSync(file).size;
  const dryRun = values['dry-run'] === true;
  const database = await openDatabase(config);
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const progress = (p: { phase: 'reading' | 'writing'; rows: number; totalRows: number | null; incidents: number }) => {
    const now = Date.now();
    if (!tty && now - lastLine < 2000) return;
    lastLine = now;
    const bar =
      p.totalRows && p.totalRows > 0
        ? `[${'#'.repeat(Math.round((p.rows / p.totalRows) * 30)).padEnd(30, '.')}] ${Math.round((p.rows / p.totalRows) * 100)}% `
        : '';
    const line = `${p.phase === 'reading' ? 'Checking' : 'Importing'} ${bar}${p.rows.toLocaleString('en')} rows, ${p.incidents.toLocaleString('en')} incidents`;
    process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
  };
  try {
    const started = Date.now();
    const deps = { db: database.db, clock: systemClock };
    const options: ImportOptions = {
      fileName: path.basename(file),
      timeZone,
      dateFormat: values['date-format'],
      mapping: columnMapping?.ok
        ? {
            ...columnMapping.mapping,
            // The command line's options win over the mapping file's.
            ...(values['date-format'] ? { dateFormat: values['date-format'] } : {}),
            ...(values['time-zone'] ? { timeZone } : {}),
          }
        : undefined,
      valueMapping: mapping?.ok ? mapping.mapping : undefined,
    };
    const holder = `import of ${path.basename(file)} by ${os.userInfo().username} on ${os.hostname()} (process ${process.pid})`;
    let report: ImportReport;
    if (dryRun) {
      report = await runImport(deps, options, {
        open: () => fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
        dryRun,
        holder,
        onProgress: progress,
      });
    } else {
      // For real, as a run of Admin › Import: the page lists it, its progress and its report.
      const run = await beginImportRun(
        deps,
        {
          path: file,
          fileName: path.basename(file),
          bytes: size,
          startedById: null,
          startedFrom: `${os.userInfo().username} on ${os.hostname()} (command line)`,
        },
        options,
        { holder, onProgress: progress },
      );
      const outcome = await run.outcome;
      if (!outcome.ok) throw outcome.error;
      report = outcome.report;
    }
    if (tty) process.stderr.write('\n');
    console.log(describeReport(report, size, Date.now() - started));
    return 0;
  } catch (err) {
    if (tty) process.stderr.write('\n');
    if (err instanceof CsvError || err instanceof ImportRefused) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}

/** The report a person reads: counts first, then every refused row with its column and reason. */
export function describeReport(r: ImportReport, bytes: number, ms: number): string {
  const lines = [
    r.dryRun ? 'Dry run: nothing was written. The import would:' : `Imported in ${(ms / 1000).toFixed(1)} s:`,
    `  read ${r.rows.toLocaleString('en')} rows (${(bytes / 1024 / 1024).toFixed(1)} MB, ${r.header?.encoding === 'latin1' ? 'Latin-1' : 'UTF-8'}, separated by ${delimiterName(r.header?.delimiter)}) about ${plural(r.incidents, 'incident')}`,
    `  ${r.dryRun ? 'create' : 'created'} ${plural(r.created, 'ticket')}${r.renumbered ? ` (${r.renumbered} under a new number, the original kept as external reference)` : ''}`,
    `  ${r.dryRun ? 'update' : 'updated'} ${plural(r.updated, 'ticket')} from a newer export; ${r.unchanged.toLocaleString('en')} unchanged`,
    `  ${r.dryRun ? 'add' : 'added'} ${plural(r.newPeople, 'person', 'people')} not known here (deactivated, no password); the file names ${plural(r.newTeams, 'group')} (teams) and ${plural(r.newCategories, 'category', 'categories')}, made where missing`,
  ];
  if (r.refused.length === 0) lines.push('  refused no row');
  else {
    lines.push(`  refused ${r.refused.length} row${r.refused.length === 1 ? '' : 's'}:`);
    for (const x of r.refused.slice(0, 200)) lines.push(`    row ${x.row}, column ${x.column}: ${x.reason}`);
    if (r.refused.length > 200) lines.push(`    … and ${r.refused.length - 200} more`);
  }
  return lines.join('\n');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

function delimiterName(d: string | undefined): string {
  // JSON lines have one record a line (core/import/jsonl-source.ts).
  if (d === '\n') return 'lines (JSON lines)';
  return d === ';' ? 'semicolons' : d === '\t' ? 'tabs' : d === '|' ? 'pipes' : 'commas';
}
