import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  articleFromResolution,
  articleMoveProblem,
  canReadArticle,
  highlightParts,
  MATCH_END,
  MATCH_START,
  markdownAsText,
  SEARCH_WORD_LIMIT,
  searchWords,
} from './knowledge-base.js';

describe('article states and readers', () => {
  it('moves draft → published → retired and back, and refuses the rest in words', () => {
    expect(articleMoveProblem('draft', 'published')).toBeNull();
    expect(articleMoveProblem('published', 'retired')).toBeNull();
    expect(articleMoveProblem('retired', 'published')).toBeNull();
    expect(articleMoveProblem('draft', 'retired')).toBe('a draft article cannot become retired');
    expect(articleMoveProblem('draft', 'draft')).toBe('it is already draft');
  });

  it('lets requesters read only published articles for everyone', () => {
    const requester = { id: 'r', role: 'requester' as const };
    const agent = { id: 'a', role: 'agent' as const };
    expect(canReadArticle(requester, { state: 'published', audience: 'everyone' })).toBe(true);
    expect(canReadArticle(requester, { state: 'published', audience: 'staff' })).toBe(false);
    expect(canReadArticle(requester, { state: 'draft', audience: 'everyone' })).toBe(false);
    expect(canReadArticle(requester, { state: 'retired', audience: 'everyone' })).toBe(false);
    expect(canReadArticle(agent, { state: 'draft', audience: 'staff' })).toBe(true);
  });
});

describe('search text', () => {
  it('keeps letters and digits only, so no tsquery operator survives', () => {
    expect(searchWords(`VPN's "certificate" & !error | (x:*) <-> Ünïcode`)).toEqual(['vpn', 's', 'certificate', 'error', 'x', 'ünïcode']);
    expect(searchWords('&&& ||| !!!')).toEqual([]);
    expect(searchWords('')).toEqual([]);
  });

  it('never yields more than the word limit, and only word characters, for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const words = searchWords(text);
        expect(words.length).toBeLessThanOrEqual(SEARCH_WORD_LIMIT);
        for (const w of words) expect(w).toMatch(/^[\p{L}\p{N}]{1,40}$/u);
      }),
    );
  });

  it('only looks at the start of a very long text', () => {
    expect(searchWords('vpn '.repeat(2500))).toEqual(['vpn']);
  });
});

describe('highlighting', () => {
  it('splits a headline into plain parts, marking the matches', () => {
    expect(highlightParts(`the ${MATCH_START}VPN${MATCH_END} <b>client</b> ${MATCH_START}certificate${MATCH_END}`)).toEqual([
      { text: 'the ', match: false },
      { text: 'VPN', match: true },
      { text: ' <b>client</b> ', match: false },
      { text: 'certificate', match: true },
    ]);
    expect(highlightParts('no match')).toEqual([{ text: 'no match', match: false }]);
  });
});

describe('article from a resolution', () => {
  it('starts from the title, the description and the resolution notes', () => {
    const { title, body } = articleFromResolution({
      number: 'INC0000042',
      title: 'VPN drops',
      description: 'It drops every hour.',
      resolutionNotes: 'Renewed the certificate.',
    });
    expect(title).toBe('VPN drops');
    expect(body).toContain('It drops every hour.');
    expect(body).toContain('Renewed the certificate.');
    expect(body).toContain('INC0000042');
  });
});

describe('excerpts as text', () => {
  it('drops Markdown marks and link targets but keeps the words', () => {
    expect(markdownAsText('## Workaround 1. Choose **Renew certificate**. [Self-service](https://intranet.example/vpn) `vpn`')).toBe(
      'Workaround 1. Choose Renew certificate. Self-service vpn',
    );
    expect(markdownAsText('snake_case and a-b stay')).toBe('snake_case and a-b stay');
  });
});
