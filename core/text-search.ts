/**
 * PostgreSQL `to_tsquery` texts built from terms a caller has already reduced to letters and
 * digits (the knowledge base's `searchWords`, similar incidents' `retrievalTerms`), so no user
 * text can carry tsquery syntax (`&`, `|`, `!`, `:*`, quotes, parentheses). Pure: no I/O.
 */

const TERM = /^[\p{L}\p{N}]+$/u;

function checked(terms: readonly string[]): readonly string[] {
  const bad = terms.find((t) => !TERM.test(t));
  // A programming error, not bad input: callers pass terms of letters and digits only.
  if (bad !== undefined) throw new Error(`a search term must be letters and digits only, got ${JSON.stringify(bad.slice(0, 40))}`);
  return terms;
}

/** Matches a document holding ANY of the terms ("vpn | certificate"); null when there are none. */
export function anyOfTerms(terms: readonly string[]): string | null {
  return terms.length === 0 ? null : checked(terms).join(' | ');
}

/** Matches a document holding EVERY term ("vpn & certificate"); null when there are none. */
export function allOfTerms(terms: readonly string[]): string | null {
  return terms.length === 0 ? null : checked(terms).join(' & ');
}

/**
 * Matches a document holding every term of ANY group ("(vpn & leeds) | (vpn & berlin) | tray");
 * null when there are none.
 */
export function anyOfGroups(groups: readonly (readonly string[])[]): string | null {
  const parts = groups.filter((g) => g.length > 0).map((g) => (g.length === 1 ? checked(g)[0] : `(${checked(g).join(' & ')})`));
  return parts.length === 0 ? null : parts.join(' | ');
}
