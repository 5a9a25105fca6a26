import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StatusSummary } from './status-page.js';

const example = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures/statuspage_v2_summary_docs_example.json'), 'utf8'));

describe("Statuspage's public API v2 shapes", () => {
  it("accept Statuspage's own documented summary.json, so the schemas are no stricter than the original", () => {
    const parsed = StatusSummary.safeParse(example);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('require every key of the example: a document missing one is refused, naming it', () => {
    const { shortlink: _dropped, ...incident } = example.incidents[0];
    const parsed = StatusSummary.safeParse({ ...example, incidents: [incident] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['incidents.0.shortlink']);
  });
});
