/**
 * Whether a received mail really comes from the address in its From header (issue 11, finding
 * 17). Anyone can write any From:, so mail from a staff address acts as staff only when the
 * sender authenticated to our SMTP listener, or when the receiving mail server that we trust
 * checked it and said so in an `Authentication-Results` header (RFC 8601) carrying its
 * authserv-id. Pure: the listener and the service pass in what they know.
 */

export interface AuthenticationResult {
  /** The method, lower case: `dmarc`, `dkim`, `spf`, … */
  method: string;
  /** The result, lower case: `pass`, `fail`, `none`, … */
  result: string;
  /** Properties such as `header.from`, `header.d`, `smtp.mailfrom`, keys lower case. */
  properties: Record<string, string>;
}

export interface AuthenticationResults {
  /** Who did the checks (RFC 8601 authserv-id), lower case. */
  authservId: string;
  results: AuthenticationResult[];
}

/** Removes RFC 5322 comments (nested parentheses, with quoted-pairs) outside quoted strings. */
function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (depth === 0 && c === '"') quoted = !quoted;
    if (!quoted && c === '(') {
      depth++;
      out += depth === 1 ? ' ' : '';
      continue;
    }
    if (!quoted && c === ')' && depth > 0) {
      depth--;
      continue;
    }
    if (depth === 0) out += c;
  }
  return out;
}

/** Splits on a separator outside quoted strings. */
function splitOutsideQuotes(value: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted) {
      current += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (!quoted && separator.test(c)) {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const unquote = (v: string) => (/^".*"$/.test(v) ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);

/**
 * Reads one Authentication-Results header value: `authserv-id [version]; method=result
 * [reason=…] [ptype.property=value …]; …` or `authserv-id; none`. Comments are ignored. Returns
 * null for a value that has no authserv-id; results that cannot be read are skipped.
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | null {
  const [head, ...resinfos] = splitOutsideQuotes(stripComments(value), /;/);
  const authservId = unquote(head?.split(/\s+/)[0] ?? '').toLowerCase();
  if (!authservId || authservId.includes('=')) return null;
  const results: AuthenticationResult[] = [];
  for (const resinfo of resinfos) {
    const tokens = splitOutsideQuotes(resinfo.replace(/\s*=\s*/g, '='), /\s/);
    const first = /^([a-z0-9_-]+)(?:\/\d+)?=([a-z0-9_-]+)$/i.exec(tokens[0] ?? '');
    if (!first) continue;
    const properties: Record<string, string> = {};
    for (const token of tokens.slice(1)) {
      const eq = token.indexOf('=');
      if (eq <= 0) continue;
      properties[token.slice(0, eq).toLowerCase()] = unquote(token.slice(eq + 1));
    }
    results.push({ method: first[1].toLowerCase(), result: first[2].toLowerCase(), properties });
  }
  return { authservId, results };
}

/** The domain part of an address or a bare domain, lower case, without a trailing dot. */
function domainOf(value: string | undefined): string | null {
  if (!value) return null;
  const domain = (value.includes('@') ? value.slice(value.lastIndexOf('@') + 1) : value).replace(/[<>\s]/g, '').replace(/\.$/, '');
  return domain ? domain.toLowerCase() : null;
}

/** Relaxed alignment (DMARC, RFC 7489): the same domain, or one a subdomain of the other's. */
function aligned(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

export type SenderVerification = { verified: true; how: string } | { verified: false; why: string };

/**
 * Whether a mail's From address is believed:
 * - the sender authenticated to our SMTP listener (which then requires it of everyone); or
 * - the top-most Authentication-Results header(s) with a trusted authserv-id — the ones our own
 *   receiving server added above everything the sender wrote; lower ones, and any with an
 *   authserv-id we do not trust, may be written by the sender and count for nothing — say
 *   `dmarc=pass` for the From domain, or `dkim=pass` / `spf=pass` aligned with it, and no
 *   `dmarc=fail`.
 * `authenticationResults` are the header values in the order they appear, top first.
 */
export function verifySender(input: {
  listenerAuthenticated: boolean;
  authenticationResults: readonly string[];
  trustedAuthservIds: readonly string[];
  fromAddress: string;
}): SenderVerification {
  if (input.listenerAuthenticated) return { verified: true, how: 'the sender authenticated to the SMTP listener' };
  const trusted = new Set(input.trustedAuthservIds.map((id) => id.trim().toLowerCase()).filter(Boolean));
  if (trusted.size === 0) {
    return { verified: false, why: 'the mail was not authenticated (no trusted Authentication-Results are configured)' };
  }
  const parsed = input.authenticationResults.map(parseAuthenticationResults);
  const firstTrusted = parsed.findIndex((p) => p !== null && trusted.has(p.authservId));
  if (firstTrusted === -1) return { verified: false, why: 'the mail carries no Authentication-Results from a trusted server' };
  // The top-most run of trusted headers: a server may write one per method.
  const block: AuthenticationResults[] = [];
  for (const p of parsed.slice(firstTrusted)) {
    if (p === null || !trusted.has(p.authservId)) break;
    block.push(p);
  }
  const results = block.flatMap((b) => b.results);
  const from = domainOf(input.fromAddress);
  const by = block[0].authservId;
  if (results.some((r) => r.method === 'dmarc' && r.result !== 'pass' && r.result !== 'none')) {
    return { verified: false, why: `${by} found that the mail failed DMARC` };
  }
  const dmarc = results.find(
    (r) => r.method === 'dmarc' && r.result === 'pass' && aligned(domainOf(r.properties['header.from'] ?? from ?? undefined), from),
  );
  if (dmarc) return { verified: true, how: `${by} reported dmarc=pass for ${from}` };
  const dkim = results.find(
    (r) => r.method === 'dkim' && r.result === 'pass' && aligned(domainOf(r.properties['header.d'] ?? r.properties['header.i']), from),
  );
  if (dkim) return { verified: true, how: `${by} reported dkim=pass aligned with ${from}` };
  const spf = results.find((r) => r.method === 'spf' && r.result === 'pass' && aligned(domainOf(r.properties['smtp.mailfrom']), from));
  if (spf) return { verified: true, how: `${by} reported spf=pass aligned with ${from}` };
  return { verified: false, why: `${by} did not report a DMARC, DKIM or SPF pass for ${from ?? 'the sender'}` };
}
