import { type CsvHeader, type CsvRecord, readCsv } from './csv-source.js';
import { looksLikeJsonLines, readJsonLines } from './jsonl-source.js';

/**
 * The records of a file that is either CSV or JSON lines, told apart by its first character, so
 * neither the command line nor the upload asks which it is.
 */
export async function* readRecords(bytes: AsyncIterable<Uint8Array>, onHeader?: (header: CsvHeader) => void): AsyncGenerator<CsvRecord> {
  const iterator = bytes[Symbol.asyncIterator]();
  const first = await iterator.next();
  const replay = (async function* () {
    if (!first.done) yield first.value;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  const json = !first.done && looksLikeJsonLines(first.value);
  yield* json ? readJsonLines(replay, onHeader) : readCsv(replay, onHeader);
}
