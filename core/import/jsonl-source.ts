import { CsvError, type CsvHeader, type CsvRecord, decoded } from './csv-source.js';

/**
 * Reading JSON lines (one object per line, as most tools export a table to stream it), as the
 * same records the CSV reader gives: keys trimmed and lower-cased, values as text (numbers and
 * booleans written out, null as missing, nested objects as their JSON). Rows are lines (the first
 * line is row 1). The "header" is the first object's keys: lines may leave keys out.
 */
export async function* readJsonLines(bytes: AsyncIterable<Uint8Array>, onHeader?: (header: CsvHeader) => void): AsyncGenerator<CsvRecord> {
  const info = { encoding: 'utf-8' as CsvHeader['encoding'] };
  let pending = '';
  let row = 0;
  let headed = false;
  const take = (line: string): CsvRecord | null => {
    row++;
    const text = row === 1 ? line.replace(/^\uFEFF/, '') : line;
    if (text.trim() === '') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CsvError(`Row ${row} is not JSON: each line of a JSON lines file is one object ({"number": …}).`, row);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new CsvError(`Row ${row} is not a JSON object: each line of a JSON lines file is one object ({"number": …}).`, row);
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) {
      values[k.trim().toLowerCase()] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    if (!headed) {
      headed = true;
      onHeader?.({
        format: 'jsonl',
        columns: Object.keys(values),
        delimiter: '\n',
        get encoding() {
          return info.encoding;
        },
      });
    }
    return { row, values };
  };
  for await (const text of decoded(bytes, info)) {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    if (pending.length > 16 * 1024 * 1024)
      throw new CsvError(`Row ${row + 1} is longer than 16 MB: this is not a JSON lines file.`, row + 1);
    for (const line of lines) {
      const record = take(line);
      if (record) yield record;
    }
  }
  const last = take(pending);
  if (last) yield last;
  if (!headed) throw new CsvError('The file is empty.', null);
}

/** JSON lines when the file's first character (after a byte order mark and blanks) opens an object. */
export function looksLikeJsonLines(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  return head[i] === 0x7b;
}
