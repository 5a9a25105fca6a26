import { parse } from 'csv-parse';
import { detectDelimiter } from './delimiter.js';

export { DELIMITERS, detectDelimiter } from './delimiter.js';

/**
 * Reading an exported CSV file as a stream of records, whatever the exporting tool chose: UTF-8
 * with or without a byte order mark, or Latin-1 (Windows' exports); a comma, semicolon, tab or
 * pipe between fields. Nothing here does I/O: the caller hands the file's bytes as they come.
 */

export type CsvEncoding = 'utf-8' | 'latin1';

/** A file that cannot be read as CSV: the row (1 = header) and why, in words. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly row: number | null,
  ) {
    super(message);
  }
}

/** The encoding of a file from its first bytes: a UTF-8 BOM, valid UTF-8, else Latin-1. */
export function detectEncoding(head: Uint8Array): { encoding: CsvEncoding; bom: boolean } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new CsvError('The file is UTF-16; export it as UTF-8 (or Latin-1) CSV.', null);
  }
  // Streaming: a multi-byte character cut at the end of the sample is not an error.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bom: false };
  } catch {
    // not UTF-8
  }
  return { encoding: 'latin1', bom: false };
}

/**
 * Bytes to text in the detected encoding, chunk by chunk (a character split between chunks is kept
 * whole). A file read as UTF-8 whose first non-ASCII byte is not UTF-8 is Latin-1 from the start
 * (ASCII reads the same in both); one whose UTF-8 breaks after valid UTF-8 mixes encodings.
 */
export async function* decoded(bytes: AsyncIterable<Uint8Array>, info: { encoding: CsvEncoding }): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let sawNonAscii = false;
  for await (const chunk of bytes) {
    if (!decoder) {
      const detected = detectEncoding(chunk.subarray(0, 64 * 1024));
      info.encoding = detected.encoding;
      decoder = new TextDecoder(detected.encoding === 'utf-8' ? 'utf-8' : 'latin1', { fatal: detected.encoding === 'utf-8' });
    }
    try {
      yield decoder.decode(chunk, { stream: true });
    } catch {
      if (sawNonAscii)
        throw new CsvError('The file is not valid UTF-8 past its beginning; export it in one encoding (UTF-8 or Latin-1).', null);
      info.encoding = 'latin1';
      decoder = new TextDecoder('latin1');
      yield decoder.decode(chunk, { stream: true });
    }
    if (!sawNonAscii && info.encoding === 'utf-8') sawNonAscii = chunk.some((b) => b > 0x7f);
  }
  if (decoder) yield decoder.decode();
}

export interface CsvRecord {
  /** The row in the file as a spreadsheet numbers it: the header is row 1. */
  row: number;
  values: Record<string, string>;
}

export interface CsvHeader {
  /** JSON lines give the same records (core/import/jsonl-source.ts); their delimiter is the line break. */
  format: 'csv' | 'jsonl';
  columns: string[];
  delimiter: string;
  encoding: CsvEncoding;
}

/**
 * The records of a CSV file, streamed: the header names the columns (trimmed, lower-cased); each
 * record maps them to the row's text. `onHeader` sees the header before the first record.
 */
export async function* readCsv(bytes: AsyncIterable<Uint8Array>, onHeader?: (header: CsvHeader) => void): AsyncGenerator<CsvRecord> {
  const info: { encoding: CsvEncoding } = { encoding: 'utf-8' };
  const text = decoded(bytes, info);
  // Read until the header line is complete to choose the delimiter.
  let buffered = '';
  let done = false;
  while (!/\r?\n/.test(buffered)) {
    const next = await text.next();
    if (next.done) {
      done = true;
      break;
    }
    buffered += next.value;
    if (buffered.length > 1024 * 1024) throw new CsvError('The first line is longer than 1 MB: this is not a CSV file.', 1);
  }
  buffered = buffered.replace(/^\uFEFF/, '');
  if (buffered.trim() === '') throw new CsvError('The file is empty.', null);
  if (buffered.includes('\u0000')) throw new CsvError('The file holds binary data: this is not a CSV file.', 1);
  const headerLine = buffered.split(/\r?\n/, 1)[0];
  const delimiter = detectDelimiter(headerLine);
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: false,
  });
  // Feed the parser from the text without holding more than its buffer.
  const feeding = (async () => {
    try {
      const write = (s: string) =>
        parser.write(s)
          ? Promise.resolve()
          : new Promise<void>((r) => {
              const done = () => {
                parser.off('drain', done);
                parser.off('close', done);
                r();
              };
              parser.on('drain', done);
              parser.on('close', done);
            });
      await write(buffered);
      if (!done) {
        for await (const s of { [Symbol.asyncIterator]: () => text }) {
          if (parser.destroyed) return;
          await write(s);
        }
      }
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  let columns: string[] | null = null;
  let row = 0;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      row++;
      if (!columns) {
        columns = fields.map((c) => c.trim().toLowerCase());
        const cols = columns;
        onHeader?.({
          format: 'csv',
          columns: cols,
          delimiter,
          // Known for sure only once a non-ASCII byte was read: the header's object tells the latest.
          get encoding() {
            return info.encoding;
          },
        });
        continue;
      }
      const values: Record<string, string> = {};
      for (let i = 0; i < columns.length; i++) values[columns[i]] = fields[i] ?? '';
      yield { row, values };
    }
  } catch (err) {
    if (err instanceof CsvError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new CsvError(`The file cannot be read as CSV near row ${row + 1}: ${message}`, row + 1);
  } finally {
    // A reader that stopped early (a refused header) leaves the rest unread.
    if (!parser.writableEnded) parser.destroy();
    await feeding;
  }
}
