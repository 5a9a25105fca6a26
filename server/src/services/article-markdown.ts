import { createRequire } from 'node:module';
import type MarkdownIt from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';

/**
 * Article Markdown → HTML that is safe to put in a page (issue 17 item 6). Two independent
 * guards: markdown-it with `html: false` never passes raw HTML through (a `<script>` in the text
 * comes out as the visible text `&lt;script&gt;`) and validates link targets itself; then
 * sanitize-html keeps only an allow-list of tags and attributes (no `on*` handlers, no `style`,
 * no iframes), links only to http(s)/mailto, and images only from this server (a relative path),
 * so an article cannot make a reader's browser call another host.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'strong',
    'em',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], ol: ['start'], th: ['style'], td: ['style'] },
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // An image from another host would tell it who reads the article, and when: drop it.
  exclusiveFilter: (frame) => frame.tag === 'img' && !/^\/(?!\/)/.test(frame.attribs.src ?? ''),
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }),
  },
};
SANITIZE.allowedAttributes = { ...(SANITIZE.allowedAttributes as Record<string, string[]>), a: ['href', 'title', 'rel'] };

/**
 * The two libraries are loaded with the first article rendered, not with the server: together
 * ~20 MB resident that a desk never reading an article would carry for nothing. `require` keeps
 * rendering synchronous (both ship CommonJS).
 */
const load = createRequire(import.meta.url);
let render: ((body: string) => string) | undefined;

export function renderArticleMarkdown(body: string): string {
  if (!render) {
    const Markdown = load('markdown-it') as typeof MarkdownIt;
    const sanitize = load('sanitize-html') as typeof sanitizeHtml;
    const markdown = new Markdown({ html: false, linkify: true, typographer: false });
    render = (text) => sanitize(markdown.render(text), SANITIZE);
  }
  return render(body);
}
