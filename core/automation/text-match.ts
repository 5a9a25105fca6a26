import safeRegex from 'safe-regex2';
import { MAX_MATCHED_TEXT } from './rules.js';

/**
 * Text conditions. A pattern is an admin's regular expression run against every ticket change,
 * so one that can backtrack without end ("(a+)+$") would stall the transaction it runs in:
 * `refusedPattern` refuses those on save (star height above one, by safe-regex2, Fastify's own
 * check) and the text matched is cut to `MAX_MATCHED_TEXT` characters, so the work is bounded.
 */
export function refusedPattern(pattern: string): string | null {
  if (pattern.length > 500) return 'must be at most 500 characters';
  try {
    new RegExp(pattern, 'iu');
  } catch (error) {
    return `is not a regular expression: ${(error as Error).message}`;
  }
  if (!safeRegex(pattern))
    return 'could take too long on some texts (a repetition inside a repetition, such as (a+)+); write it without nesting';
  return null;
}

/** The title and description a text condition reads, bounded. */
export function matchedText(ticket: { title: string; description: string | null }): string {
  return `${ticket.title}\n${ticket.description ?? ''}`.slice(0, MAX_MATCHED_TEXT);
}

export function textContains(text: string, needle: string): boolean {
  return text.toLocaleLowerCase('en').includes(needle.toLocaleLowerCase('en'));
}

/** A pattern that was refused (saved before a stricter check) never matches. */
export function textMatches(text: string, pattern: string): boolean {
  if (refusedPattern(pattern) !== null) return false;
  return new RegExp(pattern, 'iu').test(text);
}
