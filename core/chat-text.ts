/**
 * Text for chat tools that read Slack's message format (Slack itself, and the many tools with a
 * Slack-compatible webhook: Mattermost, Rocket.Chat, Discord's `/slack` endpoint …). In that
 * format `<…>` is markup — `<!channel>` pings everyone, `<@U123>` mentions a person,
 * `<https://x|label>` is a link whose label hides where it goes — and `&` starts an entity. What
 * people typed (titles, comments) must never become markup, so Slack's three control characters
 * are escaped as Slack asks: `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeSlackText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** A word joiner: invisible, and it keeps a chat tool from reading what follows `@` as a broadcast. */
const WORD_JOINER = '\u2060';

/**
 * People's words for a chat message: escaped, and with broadcast mentions that some
 * Slack-compatible tools read in plain text (`@channel`, `@here`, `@all`, `@everyone`) broken by
 * an invisible word joiner, so they show as written but ping nobody.
 */
export function chatText(text: string): string {
  return escapeSlackText(text).replace(/@(?=(channel|here|all|everyone)\b)/gi, `@${WORD_JOINER}`);
}

/**
 * A Slack-format message about a ticket: the headline in bold, the body, and a link back. Only
 * the link is markup; everything else is people's text.
 */
export function slackMessageText(message: { headline: string; body: string; link: string; linkLabel: string }): string {
  const body = message.body ? `\n${chatText(message.body)}` : '';
  return `*${chatText(message.headline)}*${body}\n<${escapeSlackText(message.link)}|${chatText(message.linkLabel)}>`;
}
