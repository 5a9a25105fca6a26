import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../../core/vocabulary.js';
import { systemClock } from './adapters/clock.js';
import { type Config, ConfigError, readConfig } from './config.js';
import { openAndMigrate, startServer } from './main.js';
import { findUserByEmail } from './repositories/users.repository.js';
import { createApiToken } from './services/auth.service.js';
import { createUser } from './services/directory.service.js';

const USAGE = `firebreak — incident management

Usage:
  firebreak start                         run the server (same as npm start)
  firebreak migrate                       bring the database schema up to date and exit
  firebreak user create --email E --name N --role R [--password P]
                                          add a person; R is one of ${ROLES.join(', ')}
  firebreak token create --email E --name N [--scope read|write] [--days D]
                                          create an API token acting as that user; printed once
  firebreak demo                          load a realistic demo desk (teams, services, tickets)

Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  const config = readConfig(process.env);
  switch (command) {
    case 'start':
    case undefined:
      return runServer(config);
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
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
  }
  console.error(`Unknown command: ${argv.join(' ')}\n\n${USAGE}`);
  return 2;
}

async function runServer(config: Config): Promise<number> {
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
