/**
 * CSV as staff and translators exchange it with Excel and LibreOffice: RFC 4180 quoting, a UTF-8 byte-order
 * mark on output so Excel reads Vietnamese correctly, comma or semicolon separators on input (Excel in a
 * Vietnamese locale writes semicolons), and CRLF or LF line ends.
 */

const byteOrderMark = "\uFEFF";

/** A CSV text that cannot be read, with the 1-based line where reading stopped. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "CsvSyntaxError";
  }
}

function detectSeparator(text: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && char === ",") commas += 1;
    else if (!quoted && char === ";") semicolons += 1;
  }
  return semicolons > commas ? ";" : ",";
}

/**
 * Parses CSV text into rows of cells. Quoted cells may hold separators, quotes (doubled) and line breaks.
 * Blank lines are skipped, or kept as empty rows with `keepBlankLines` so that row numbers match what a
 * spreadsheet program shows. The separator is guessed from the first line unless given.
 */
export function parseCsv(input: string, options: { separator?: "," | ";"; keepBlankLines?: boolean } = {}): string[][] {
  const text = input.startsWith(byteOrderMark) ? input.slice(1) : input;
  const sep = options.separator ?? detectSeparator(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let cellWasQuoted = false;
  let line = 1;
  let quoteLine = 1;
  const endRow = () => {
    row.push(cell);
    if (row.length > 1 || row[0] !== "" || cellWasQuoted) rows.push(row);
    else if (options.keepBlankLines) rows.push([]);
    row = [];
    cell = "";
    cellWasQuoted = false;
  };
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else {
          quoted = false;
          const after = text[i + 1];
          if (after !== undefined && after !== sep && after !== "\n" && after !== "\r") {
            throw new CsvSyntaxError(`unexpected "${after}" after a closing quote`, line);
          }
        }
      } else {
        if (char === "\n") line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell === "") {
      quoted = true;
      cellWasQuoted = true;
      quoteLine = line;
    } else if (char === sep) {
      row.push(cell);
      cell = "";
      cellWasQuoted = false;
    } else if (char === "\r" || char === "\n") {
      if (char === "\r" && text[i + 1] === "\n") i += 1;
      endRow();
      line += 1;
    } else {
      cell += char;
    }
  }
  if (quoted) throw new CsvSyntaxError("a quoted cell is never closed", quoteLine);
  if (cell !== "" || row.length > 0 || cellWasQuoted) endRow();
  return rows;
}

function quoteCell(value: string): string {
  return /[",;\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes rows as CSV with a byte-order mark and CRLF line ends, quoting only cells that need it. */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  return byteOrderMark + rows.map((row) => row.map(quoteCell).join(",")).join("\r\n") + "\r\n";
}
