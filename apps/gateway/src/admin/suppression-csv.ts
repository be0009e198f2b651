import { PingtreeError } from '@pingtree/contracts';
import type { RawEntry } from './suppression-entries';

/** A CSV row with the line it starts on (1 is the header), to name it in errors. */
export type CsvEntry = RawEntry & { line: number };

/**
 * Rows of a CSV upload with a header line naming a `phone` and/or an `email` column (any case,
 * other columns ignored). Quoted fields (RFC 4180, `""` for a quote) are understood.
 */
export function csvEntries(text: string): CsvEntry[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = (rows.shift()?.cells ?? []).map((h) => h.trim().toLowerCase());
  const phone = header.indexOf('phone');
  const email = header.indexOf('email');
  if (phone < 0 && email < 0) {
    throw new PingtreeError('VALIDATION_FAILED', 'CSV needs a header line', [
      { field: 'line.1', message: 'the header must name a phone column, an email column or both' },
    ]);
  }
  return rows
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''))
    .map(({ cells, line }) => ({
      line,
      ...(phone >= 0 && { phone: cells[phone] }),
      ...(email >= 0 && { email: cells[email] }),
    }));
}

/** Splits CSV text into rows of cells, each with the line it starts on. */
function parseCsv(text: string): Array<{ cells: string[]; line: number }> {
  const rows: Array<{ cells: string[]; line: number }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') continue; // the \n ends the row
      if (ch === '\r') line++;
      rows.push({ cells: [...cells, cell], line: rowLine });
      cells = [];
      cell = '';
      rowLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) rows.push({ cells: [...cells, cell], line: rowLine });
  return rows;
}
