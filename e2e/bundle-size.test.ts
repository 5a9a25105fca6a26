import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../server/src/web-build.js';

/** What a phone downloads before the portal can show anything: the entry script and what it preloads. */
function initialJavaScript(distDir: string): string[] {
  const html = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const scripts = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((m) => m[1]);
  return [...new Set(scripts)];
}

describe('the portal’s first download', () => {
  it('is at most 200 KB of JavaScript gzipped, with the agent and admin pages left for later', async () => {
    const dist = await ensureWebBuild(() => {});
    const files = initialJavaScript(dist);
    expect(files.length).toBeGreaterThan(0);
    const gzipped = files.reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(dist, f))).length, 0);
    console.log(`portal initial JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${files.length} file(s)`);
    expect(gzipped).toBeLessThanOrEqual(200 * 1024);
    // The desk and admin code are separate chunks, not in the first download.
    const initial = files.map((f) => fs.readFileSync(path.join(dist, f), 'utf8')).join('\n');
    expect(initial).not.toContain('Save matrix');
    expect(initial).not.toContain('Tickets in this queue');
  }, 120_000);
});
