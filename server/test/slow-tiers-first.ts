import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order files start in, when one run holds several tiers (CI's run on each engine: database,
 * http, process and e2e). Vitest's own order runs projects by name (database, e2e, http,
 * process), so the process tier's files — a server start or two each, up to minutes on a loaded
 * machine — came last, and one worker waited idle while the other finished the last long one.
 * Here the tiers whose files take longest start first and the many short database and http files
 * fill in behind them, so both workers run out of work at about the same time. Within a tier,
 * Vitest's order stands (files that failed last time, then the longest, then the largest).
 */
const LONGEST_FIRST = ['e2e', 'process', 'http', 'database', 'web', 'pure'];

const rank = (spec: TestSpecification) => {
  const at = LONGEST_FIRST.indexOf(spec.project.name);
  return at === -1 ? LONGEST_FIRST.length : at;
};

export default class SlowTiersFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const position = new Map(sorted.map((spec, index) => [spec, index]));
    return [...sorted].sort((a, b) => rank(a) - rank(b) || (position.get(a) ?? 0) - (position.get(b) ?? 0));
  }
}
