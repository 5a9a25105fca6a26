import { html } from './status-page.html.js';

/**
 * The status page's subscription pages: the form, and what each signed link shows. Plain HTML
 * with no script, like the page itself; every value goes through the `html` tag (escaped).
 */

export interface ComponentOption {
  id: string;
  name: string;
}

type Markup = ReturnType<typeof html>;

function layout(pageName: string, title: string, body: Markup): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · ${pageName}</title>
<link rel="stylesheet" href="/status/status.css">
<link rel="stylesheet" href="/status/subscribe.css">
</head>
<body>
<header class="top"><a class="name" href="/status">${pageName}</a></header>
<main>${body}</main>
</body>
</html>`}`;
}

export interface SubscribeFormState {
  email?: string;
  /** 'all', or the ids ticked. */
  components?: 'all' | string[];
  /** What was wrong with the last try, in words. */
  error?: string;
}

export function renderSubscribeForm(pageName: string, components: readonly ComponentOption[], state: SubscribeFormState = {}): string {
  const chosen = state.components ?? 'all';
  const ticked = (id: string) => (Array.isArray(chosen) && chosen.includes(id) ? 'checked' : null);
  const body = html`<p><a href="/status">← Current status</a></p>
<h1>Get updates by e-mail</h1>
<p>We e-mail you when an incident starts, when we post an update, and when it is resolved. No account needed; every mail has a one-click unsubscribe link.</p>
${state.error ? html`<p class="form-error" role="alert" id="email-error">${state.error}</p>` : ''}
<form class="subscribe" method="post" action="/status/subscribe">
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${state.email ?? ''}"${state.error ? html` aria-invalid="true" aria-describedby="email-error"` : ''}>
<fieldset>
<legend>Which services?</legend>
<label class="choice"><input type="radio" name="scope" value="all" ${chosen === 'all' ? 'checked' : ''}> All services, including ones added later</label>
<label class="choice"><input type="radio" name="scope" value="some" ${chosen === 'all' ? '' : 'checked'}> Only the ones I tick:</label>
${
  components.length > 0
    ? html`<ul class="picks">${components.map(
        (c) =>
          html`<li><label class="choice"><input type="checkbox" name="component" value="${c.id}" ${ticked(c.id)}> ${c.name}</label></li>`,
      )}</ul>`
    : html`<p class="muted">No services are shown on the page yet.</p>`
}
</fieldset>
<button type="submit">Subscribe</button>
</form>
<p class="muted">We send a confirmation link first: nothing else arrives until you follow it.</p>`;
  return layout(pageName, 'Subscribe to updates', body);
}

/** An answer page: a heading, what happened in words, and a way on. */
export function renderNotice(pageName: string, title: string, message: string, kind: 'ok' | 'problem' = 'ok'): string {
  const body = html`<section class="notice notice-${kind}" ${kind === 'problem' ? html`role="alert"` : ''}>
<h1>${title}</h1>
<p>${message}</p>
</section>
<p><a href="/status">Back to the status page</a></p>`;
  return layout(pageName, title, body);
}

/**
 * The page behind a link in a mail: it shows what the button will do and changes nothing itself,
 * since mail scanners open links. The button POSTs the same signed token.
 */
export function renderLinkButton(pageName: string, what: 'confirm' | 'unsubscribe', email: string, token: string): string {
  const [title, says, button] =
    what === 'confirm'
      ? ['Confirm your subscription', `Start sending status updates to ${email}?`, 'Confirm subscription']
      : ['Unsubscribe', `Stop sending status updates to ${email}?`, 'Unsubscribe'];
  const body = html`<h1>${title}</h1>
<p>${says}</p>
<form method="post" action="/status/${what}?token=${encodeURIComponent(token)}">
${what === 'unsubscribe' ? html`<input type="hidden" name="List-Unsubscribe" value="One-Click">` : ''}
<button type="submit">${button}</button>
</form>`;
  return layout(pageName, title, body);
}

export const SUBSCRIBE_CSS = `
.subscribe { background:var(--surface); border:1px solid var(--border); border-radius:8px; padding:1rem; display:grid; gap:.75rem; }
.subscribe label[for] { font-weight:600; }
.subscribe input[type=email] { font:inherit; padding:.5rem .6rem; border:1px solid var(--muted); border-radius:6px; background:var(--bg); color:var(--text); width:100%; max-width:28rem; }
.subscribe fieldset { border:1px solid var(--border); border-radius:6px; padding:.5rem .9rem .75rem; margin:0; }
.subscribe legend { font-weight:600; padding:0 .25rem; }
.choice { display:flex; gap:.5rem; align-items:center; padding:.2rem 0; }
.picks { list-style:none; margin:0 0 0 1.5rem; padding:0; }
button { font:inherit; font-weight:600; padding:.55rem 1.1rem; border-radius:6px; border:1px solid var(--link); background:var(--link); color:var(--surface); cursor:pointer; justify-self:start; }
button:focus-visible, input:focus-visible { outline:3px solid var(--link); outline-offset:2px; }
.form-error { color:var(--critical); background:var(--critical-soft); border-radius:6px; padding:.5rem .75rem; }
.notice { border-radius:8px; padding:1rem 1.25rem; border:1px solid var(--border); }
.notice p { margin:.4rem 0 0; }
.notice-ok { background:var(--ok-soft); color:var(--ok); }
.notice-problem { background:var(--critical-soft); color:var(--critical); }
`;
