import type { ArticleHitT } from '../api/endpoints/knowledge';

/** Highlighted text from the search: plain text parts, the found words in <mark> (never HTML from the server). */
export function Highlighted({ parts }: { parts: ArticleHitT['excerpt'] }) {
  return (
    <>
      {parts.map((p, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one excerpt never reorder
        p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
      )}
    </>
  );
}

/**
 * An article's body as the server rendered it: markdown-it without raw HTML, then sanitize-html
 * with an allow-list (server/src/services/article-markdown.ts). This is the only place the web
 * puts server HTML in the page.
 */
export function ArticleBody({ html }: { html: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised on the server by an allow-list (see above)
  return <div className="article-body" dangerouslySetInnerHTML={{ __html: html }} />;
}
