/**
 * `node --import tsx bench/automation.ts`: what automation rules cost a ticket change, since they
 * run in its transaction (issue 18). Reports BENCH_AUTOMATION_TICKETS (300) tickets through the
 * service, one at a time, in four rounds on one database: no rules (the baseline), 20 enabled
 * rules that do not match, no rules again (how much the machine drifted), and one rule that
 * matches every ticket (assigns a team and replies from a canned reply: a second change in the
 * same transaction) beside the same work done by hand (an agent assigns and replies after the
 * report: two more transactions). A first, uncounted round warms up. PGlite in a temporary
 * folder, or a fresh PostgreSQL database with BENCH_PG_URL set.
 */
import { systemClock } from '../server/src/adapters/clock.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { createRule, listRules, removeRule } from '../server/src/services/automation-rules.service.js';
import { createCannedReply } from '../server/src/services/canned-replies.service.js';
import { createUser } from '../server/src/services/directory.service.js';
import { createTeam } from '../server/src/services/teams.service.js';
import { addComment } from '../server/src/services/ticket-conversation.service.js';
import { reportTicket } from '../server/src/services/ticket-intake.service.js';
import { updateTicket } from '../server/src/services/ticket-work.service.js';
import { openScratchDatabase } from './scratch-database.js';

const TICKETS = Number(process.env.BENCH_AUTOMATION_TICKETS ?? 300);
const engine = process.env.BENCH_PG_URL ? 'postgres' : 'pglite';

async function main() {
  const { database, cleanup } = await openScratchDatabase(engine, 'automation');
  try {
    await migrateDatabase(database);
    const deps = { db: database.db, clock: systemClock };
    const person = async (name: string, role: 'admin' | 'requester') => {
      const user = await createUser(deps, { email: `${name}@bench.test`, name, role, timeZone: 'UTC' });
      return { id: user.id, role: user.role };
    };
    const admin = await person('ada', 'admin');
    const requester = await person('rita', 'requester');
    const agent = {
      id: (await createUser(deps, { email: 'alex@bench.test', name: 'alex', role: 'agent', timeZone: 'UTC' })).id,
      role: 'agent' as const,
    };
    const team = await createTeam(deps, { name: 'Bench team', memberIds: [] });
    const reply = await createCannedReply(deps, admin, {
      name: 'On it',
      body: 'Hello {requester_name}, we have {ticket_number}.',
      visibility: 'public',
      scope: 'shared',
      changes: { state: null, onHoldReason: null, resolutionCode: null, teamId: null, assigneeId: null },
    });

    const round = async (label: string, byHand = false, count = TICKETS) => {
      const started = performance.now();
      for (let i = 0; i < count; i += 1) {
        const { ticket } = await reportTicket(
          deps,
          requester,
          {
            kind: 'incident',
            title: `Bench ticket ${label} ${i}`,
            description: 'Printer jams on page two',
            impact: 3,
            urgency: 3,
            scope: 'local',
          },
          { defaultChannel: 'portal' },
        );
        if (byHand) {
          await updateTicket(deps, agent, ticket.id, { teamId: team.id });
          await addComment(deps, agent, ticket.id, { body: `Hello rita, we have ${ticket.number}.`, visibility: 'public' });
        }
      }
      const ms = (performance.now() - started) / count;
      console.log(`${label.padEnd(34)} ${ms.toFixed(2)} ms per reported ticket`);
      return ms;
    };
    const clear = async () => {
      for (const { rule } of await listRules(deps, admin)) await removeRule(deps, admin, rule.id);
    };

    console.log(`automation rules: ${TICKETS} tickets reported one by one per round, ${engine}`);
    await round('warm-up (not counted)', false, 50);
    const baseline = await round('no rules (baseline)');
    for (let i = 0; i < 20; i += 1) {
      await createRule(deps, admin, {
        name: `Never ${i}`,
        enabled: true,
        stopAfterMatch: false,
        trigger: { on: i % 2 === 0 ? 'created' : 'updated' },
        conditions: [
          { op: 'contains', text: `no such words ${i}` },
          { op: 'matches', pattern: `^vpn (down|slow) ${i}$` },
        ],
        actions: [{ type: 'assign', teamId: team.id }],
      });
    }
    const none = await round('20 rules, none matching');
    await clear();
    const again = await round('no rules (baseline, again)');
    await createRule(deps, admin, {
      name: 'Printers',
      enabled: true,
      stopAfterMatch: false,
      trigger: { on: 'created' },
      conditions: [{ op: 'contains', text: 'printer' }],
      actions: [
        { type: 'assign', teamId: team.id },
        { type: 'reply', cannedReplyId: reply.reply.id },
      ],
    });
    const matching = await round('1 rule matching (assign + reply)');
    await clear();
    const manual = await round('by hand: report, assign, reply', true);
    const base = (baseline + again) / 2;
    console.log(
      `20 rules not matching: ${(none - base).toFixed(2)} ms per ticket beside the baseline (${base.toFixed(2)} ms); ` +
        `a matching rule's assign + reply: ${matching.toFixed(2)} ms beside ${manual.toFixed(2)} ms for the same work by hand`,
    );
  } finally {
    await cleanup();
  }
}

await main();
