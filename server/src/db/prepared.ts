import type { Db } from './client.js';

/**
 * Hot queries run as named prepared statements: built by the ORM once per database handle and
 * planned by PostgreSQL once per connection, instead of both on every request. (Measured: a
 * ticket read's six-table query spent 0.67 ms planning for 0.05 ms executing.)
 */
export function preparedPerDb<P>(build: (db: Db) => P): (db: Db) => P {
  const cache = new WeakMap<Db, P>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db);
      cache.set(db, prepared);
    }
    return prepared;
  };
}
