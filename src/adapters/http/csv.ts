import { Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Excel and WPS read UTF-8 (Chinese names) only with a byte order mark. */
export const UTF8_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One RFC 4180 cell. Text that a spreadsheet would run as a formula (= + - @ at the start) is
 * prefixed with an apostrophe; numbers are written as they are.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/**
 * A CSV body read page by page: each page is one short synchronous store read, and the event loop
 * gets a turn between pages, so a long export never stalls ingest.
 */
export function csvStream(header: readonly string[], pages: () => Iterable<readonly CsvValue[][]>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield UTF8_BOM + csvLine(header);
    for (const page of pages()) {
      if (page.length > 0) yield page.map(csvLine).join('');
      await yieldToLoop();
    }
  }
  return Readable.from(lines(), { objectMode: false });
}
