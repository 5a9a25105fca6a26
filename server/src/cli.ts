import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../../core/vocabulary.js';
import { systemClock } from './adapters/clock.js';
import { runPrimary } from './cluster/primary.js';
import { runWorker } from './cluster/worker.js';
import { type Config, ConfigError, readConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { openAndMigrate, startServer } from './main.js';
import { findUserByEmail } from './repositories/users.repository.js';
import { createApiToken } from './services/auth.service.js';
import { createUser } from './services/directory.service.js';

const USAGE = `firebreak — incident management

Usage:
  firebreak start [--workers N]           run the server (same as npm start); N server processes
                                          share its ports (PostgreSQL only; or FIREBREAK_WORKERS=N)
  firebreak migrate                       bring the database schema up to date and exit
  firebreak user create --email E --name N --role R [--password P]
                                          add a person; R is one of ${ROLES.join(', ')}
  firebreak token create --email E --name N [--scope read|write] [--days D]
                                          create an API token acting as that user; printed once
  firebreak demo                          load a realistic demo desk (teams, services, tickets)
  firebreak export FILE                   write every ticket with its timeline to FILE as JSON lines
  firebreak backup FILE                   write the whole database to FILE (gzip'd; either engine)
  firebreak restore FILE [--force]        load a backup into an empty database (--force: replace
                                          everything in a database that holds data)
  firebreak import servicenow FILE [--dry-run] [--date-format F] [--time-zone Z] [--mapping M]
                                          import ServiceNow's incident export (CSV, either form);
                                          F e.g. D/M/YYYY HH:mm, Z e.g. Europe/London

Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  if (command === 'start' || command === undefined) return runServer(readConfig(startEnvironment(argv.slice(1))));
  const config = readConfig(process.env);
  switch (command) {
    case 'migrate': {
      const database = await openAndMigrate(config);
      await database.close();
      console.log(`The ${database.kind === 'pglite' ? 'embedded database' : 'PostgreSQL database'} is up to date.`);
      return 0;
    }
    case 'user':
      if (sub !== 'create') break;
      return userCreate(config, argv.slice(2));
    case 'token':
      if (sub !== 'create') break;
      return tokenCreate(config, argv.slice(2));
    case 'demo':
      return demo(config);
    case 'export':
    case 'backup':
    case 'restore':
      return dataCommand(config, command, argv.slice(1));
    case 'import': {
      // Loaded only for this command, like the demo.
      const { importCommand } = await import('./import-command.js');
      return importCommand(config, argv.slice(1));
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
  }
  console.error(`Unknown command: ${argv.join(' ')}\n\n${USAGE}`);
  return 2;
}

/** The environment with `start`'s options folded in, so the flag and the variable are checked alike. */
function startEnvironment(args: string[]): Record<string, string | undefined> {
  let values: { workers?: string };
  try {
    ({ values } = parseArgs({ args, options: { workers: { type: 'string' } } }));
  } catch (err) {
    throw new ConfigError(`firebreak start: ${(err as Error).message}\n\n${USAGE}`);
  }
  return values.workers === undefined ? process.env : { ...process.env, FIREBREAK_WORKERS: values.workers };
}

async function runServer(config: Config): Promise<number> {
  // Several processes: this one is either their primary or one of them.
  if (cluster.isWorker) return runWorker(config);
  if (config.workers > 1) return runPrimary(config);
  // Listen for signals from the very start, so a stop requested while starting is honoured too.
  let requested: string | null = null;
  let onSignal = (signal: string) => {
    requested = signal;
  };
  const handler = (signal: string) => onSignal(signal);
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  const server = await startServer(config);
  await new Promise<void>((resolve) => {
    onSignal = (signal: string) => {
      onSignal = () => {}; // a second signal while stopping changes nothing
      console.log(`${signal} received: finishing requests in flight and closing the database…`);
      server.stop().then(resolve, (err) => {
        console.error('Shutdown failed:', err);
        process.exitCode = 1;
        resolve();
      });
    };
    if (requested) onSignal(requested);
  });
  process.off('SIGINT', handler);
  process.off('SIGTERM', handler);
  console.log('Firebreak stopped.');
  return 0;
}

async function userCreate(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
  });
  if (!values.email || !values.name || !values.role || !ROLES.includes(values.role as Role)) {
    console.error(`user create needs --email, --name and --role (${ROLES.join(', ')}).`);
    return 2;
  }
  const database = await openAndMigrate(config);
  try {
    const user = await createUser(
      { db: database.db, clock: systemClock },
      { email: values.email, name: values.name, role: values.role as Role, timeZone: 'UTC', password: values.password },
    );
    console.log(`Created ${user.role} ${user.name} <${user.email}> (id ${user.id}).`);
    return 0;
  } finally {
    await database.close();
  }
}

async function tokenCreate(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, scope: { type: 'string' }, days: { type: 'string' } },
  });
  if (!values.email || !values.name || (values.scope && !['read', 'write'].includes(values.scope))) {
    console.error('token create needs --email of the user it acts as and a --name; --scope is read or write.');
    return 2;
  }
  const database = await openAndMigrate(config);
  try {
    const user = await findUserByEmail(database.db, values.email);
    if (!user) {
      console.error(`No user has the e-mail address ${values.email}.`);
      return 1;
    }
    const { token, secret } = await createApiToken(
      { db: database.db, clock: systemClock },
      { id: user.id, role: 'admin' },
      {
        name: values.name,
        userId: user.id,
        scope: (values.scope as 'read' | 'write') ?? 'write',
        expiresInDays: values.days ? Number(values.days) : undefined,
      },
    );
    console.log(`Token "${token.name}" for ${user.email} (scope ${token.scope}). It is shown only this once:\n\n  ${secret}\n`);
    console.log('Use it as: curl -H "Authorization: Bearer <token>" …/api/v1/tickets');
    return 0;
  } finally {
    await database.close();
  }
}

async function demo(config: Config): Promise<number> {
  const database = await openAndMigrate(config);
  try {
    // Loaded only for this command: the demo's texts and builders are a large part of the module graph.
    const { loadDemoData } = await import('./demo/demo-data.js');
    const summary = await loadDemoData({ db: database.db, clock: systemClock });
    console.log(summary);
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(`firebreak: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);

async function dataCommand(config: Config, command: 'export' | 'backup' | 'restore', args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' } } });
  const [file] = positionals;
  if (!file || positionals.length > 1 || (values.force && command !== 'restore')) {
    console.error(`${command} needs one FILE${command === 'restore' ? ' (and may take --force)' : ''}.\n\n${USAGE}`);
    return 2;
  }
  const began = performance.now();
  const seconds = () => ((performance.now() - began) / 1000).toFixed(1);
  // Loaded only for these commands.
  const { BackupError } = await import('./services/backup.service.js');
  const { backupToFile, exportToFile, restoreFromFile } = await import('./cli-data.js');
  // A backup reads the database as it is: migrating first would change what is being saved.
  const database = command === 'export' ? await openAndMigrate(config) : await openDatabase(config);
  try {
    if (command === 'export') {
      const count = await exportToFile(database.db, file);
      console.log(`Exported ${count} tickets with their timelines to ${file} in ${seconds()} s.`);
    } else if (command === 'backup') {
      const s = await backupToFile(database, systemClock, file);
      console.log(`Backed up ${s.rows} rows of ${s.tables} tables (${s.migration.count} migrations) to ${file} in ${seconds()} s.`);
    } else {
      const s = await restoreFromFile(database, file, { force: values.force ?? false });
      console.log(`Restored ${s.rows} rows of ${s.tables} tables from ${file} in ${seconds()} s; the schema is up to date.`);
    }
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}
