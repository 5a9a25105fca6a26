import safeRegex from 'safe-regex2';
import { type AutomationCondition, MAX_MATCHED_TEXT } from './rules.js';

/**
 * Text conditions. A pattern is an admin's regular expression run against every ticket change,
 * so one that can backtrack without end ("(a+)+$") would stall the transaction it runs in (and,
 * being synchronous, the whole process): `refusedPattern` refuses those on save (star height above
 * one, by safe-regex2, Fastify's own check; alternatives under a repetition; more than two
 * open-ended repetitions) and a pattern reads at most `MAX_PATTERN_TEXT` characters.
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
  return slowShape(pattern);
}

/**
 * The patterns of a rule's conditions that are refused, with why in words: on save each names its
 * field; a rule saved before a stricter check is switched off with the reason when it is next
 * loaded to run (it would otherwise silently never match).
 */
export function refusedPatternsOf(conditions: readonly AutomationCondition[]): { index: number; pattern: string; message: string }[] {
  return conditions.flatMap((c, index) => {
    if (c.op !== 'matches') return [];
    const message = refusedPattern(c.pattern);
    return message ? [{ index, pattern: c.pattern, message }] : [];
  });
}

/** At most this many open-ended repetitions (`*`, `+`, `{n,}`) in one pattern. */
const MAX_OPEN_REPETITIONS = 2;
/** A pattern reads at most this much of the text: with two open repetitions the work grows with its square. */
const MAX_PATTERN_TEXT = 4_000;

/**
 * Shapes safe-regex2 lets through that still backtrack far too long: alternatives under an
 * open-ended repetition (`(a|aa)*$`, `(\w|\d)+$`: the ways to split a text grow exponentially)
 * and many open-ended repetitions in a row (`.*.*.*x`: polynomial, and the text is a requester's).
 */
function slowShape(pattern: string): string | null {
  const groups: { alternatives: boolean }[] = [];
  let open = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      // A character class: `|`, `(` and `*` are plain characters inside it.
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
    } else if (c === '(') {
      groups.push({ alternatives: false });
    } else if (c === '|') {
      const group = groups.at(-1);
      if (group) group.alternatives = true;
    } else if (c === ')') {
      if (groups.pop()?.alternatives && openRepetitionAt(pattern, i + 1))
        return 'could take too long on some texts (alternatives under a repetition, such as (a|aa)*); repeat a character class instead, such as [ab]+';
    } else if (openRepetitionAt(pattern, i)) {
      open++;
    }
  }
  if (open > MAX_OPEN_REPETITIONS)
    return `could take too long on some texts (more than ${MAX_OPEN_REPETITIONS} open-ended repetitions such as .* or +)`;
  return null;
}

function openRepetitionAt(pattern: string, i: number): boolean {
  return pattern[i] === '*' || pattern[i] === '+' || /^\{\d+,\}/.test(pattern.slice(i));
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
  return new RegExp(pattern, 'iu').test(text.slice(0, MAX_PATTERN_TEXT));
}
