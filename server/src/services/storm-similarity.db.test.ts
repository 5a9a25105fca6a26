import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyWords, trigramSimilarity } from '../../../core/storm.js';
import { createTestDatabase } from '../../test/database.js';
import { type Database, rowsOf } from '../db/client.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('storm similarity is pg_trgm’s', () => {
  it('gives what the database’s similarity() gives, on this engine', async () => {
    const texts = [
      'VPN is down',
      'Cannot connect to the VPN',
      'vpn not working from home',
      'Outlook keeps asking for password',
      'Wi-Fi very slow and disconnects',
      'payroll portal error 500',
      'new phone headset phone headset hi has provided',
      'Ünïcode café naïve résumé',
      'a',
      '',
    ];
    const pairs = texts.flatMap((a) => texts.map((b) => [keyWords(a), keyWords(b)] as const));
    for (const [a, b] of pairs) {
      const [row] = rowsOf<{ s: number }>(await database.db.execute(sql`SELECT similarity(${a}, ${b})::float8 AS s`));
      expect(trigramSimilarity(a, b), `${a} ~ ${b}`).toBeCloseTo(Number(row.s), 5);
    }
  });
});
