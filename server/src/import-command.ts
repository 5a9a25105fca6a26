import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CsvError } from '../../core/import/csv-source.js';
import { checkMapping } from '../../core/import/servicenow-mapping.js';
import { systemClock } from './adapters/clock.js';
import type { Config } from './config.js';
import { openAndMigrate } from './main.js';
import { ImportRefused, type ImportReport, importServiceNow } from './services/servicenow-import.service.js';

/**
 * `firebreak import servicenow FILE [--dry-run] [--date-format F] [--time-zone Z] [--mapping M]`
 * (issue 16). Loaded only for this command, like the demo.
 */
export async function importCommand(config: Config, args: string[]): Promise<number> {
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
  if (source !== 'servicenow' || !file) {
    console.error(
      'Usage: firebreak import servicenow FILE [--dry-run] [--date-format D/M/YYYY HH:mm] [--time-zone Europe/London] [--mapping FILE]',
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
  if (values.mapping) {
    try {
      mapping = checkMapping(JSON.parse(fs.readFileSync(values.mapping, 'utf8')));
    } catch (err) {
      console.error(`--mapping: ${values.mapping} is not a JSON file (${(err as Error).message}).`);
      return 2;
    }
    if (!mapping.ok) {
      console.error(`--mapping: ${values.mapping} has mistakes:\n  ${mapping.problems.join('\n  ')}`);
      return 2;
    }
  }
  const size = fs.statSync(file).size;
  const dryRun = values['dry-run'] === true;
  const database = await openAndMigrate(config);
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
    const report = await importServiceNow(
      { db: database.db, clock: systemClock },
      {
        open: () => fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
        dryRun,
        dateFormat: values['date-format'],
        timeZone,
        mapping: mapping?.ok ? mapping.mapping : undefined,
        holder: `import of ${path.basename(file)} by ${os.userInfo().username} on ${os.hostname()} (process ${process.pid})`,
        onProgress: progress,
      },
    );
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
  return d === ';' ? 'semicolons' : d === '\t' ? 'tabs' : d === '|' ? 'pipes' : 'commas';
}
