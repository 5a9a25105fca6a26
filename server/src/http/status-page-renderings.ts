import type { StatusPage } from '../services/status-page.service.js';
import { type PrecomputedBody, precompress, precomputedBody } from './precomputed-response.js';
import { renderStatusPage } from './presenters/status-page.html.js';
import { presentSummary } from './presenters/status-page.presenter.js';

export interface StatusPageRenderings {
  /** A document of this page computation, rendered on its first demand and kept with the page. */
  once(page: StatusPage, key: string, render: () => string): PrecomputedBody;
  /** The page (`/status`) and summary.json — what a crowd asks for — of this computation. */
  page(page: StatusPage): PrecomputedBody;
  summary(page: StatusPage): PrecomputedBody;
  /**
   * Renders and compresses the crowd's documents of a new computation before it is served, one
   * at a time with readers answered in between: no request renders or compresses them.
   */
  prepare(page: StatusPage): Promise<void>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One page computation serves every reader until the next: so do its renderings, their
 * validators and compressed forms (a crowd's browsers ask for brotli and revalidate with
 * If-None-Match). They live as long as their page object.
 */
export function statusPageRenderings(publicUrl: string): StatusPageRenderings {
  const rendered = new WeakMap<StatusPage, Map<string, PrecomputedBody>>();
  const once = (page: StatusPage, key: string, render: () => string): PrecomputedBody => {
    let forPage = rendered.get(page);
    if (!forPage) {
      forPage = new Map();
      rendered.set(page, forPage);
    }
    let body = forPage.get(key);
    if (!body) {
      body = precomputedBody(render());
      forPage.set(key, body);
    }
    return body;
  };
  const page = (p: StatusPage) => once(p, 'page', () => renderStatusPage(p));
  const summary = (p: StatusPage) => once(p, 'summary', () => JSON.stringify(presentSummary(p, publicUrl)));
  return {
    once,
    page,
    summary,
    async prepare(p) {
      for (const render of [page, summary]) {
        await nextTurn();
        await precompress(render(p));
      }
    },
  };
}
