/**
 * The delimiter of an exported CSV file, from its header line. Apart from the reader (which needs
 * Node's streams) so that the web page can guess a file's columns before sending it.
 */

export const DELIMITERS = [',', ';', '\t', '|'] as const;

/** The delimiter of a header line: the candidate that splits it most, outside quotes. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let most = 0;
  for (const [d, n] of counts) {
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}
