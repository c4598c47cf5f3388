import { topicSchema, type Topic } from "../engine/flow-schema.ts";
import { directoryIdSchema, directoryKindSchema, type StaffDirectoryEntry } from "./directory-entry.ts";
import {
  answerOf,
  codeOfLabel,
  columnOfHeader,
  helpEntryColumns,
  helpEntryHeaderRow,
  kindLabels,
  topicLabels,
  type HelpEntryField,
} from "./help-entry-columns.ts";
import { vietnamDate } from "./help-staleness.ts";

/**
 * One thing wrong in an import file. `row` counts from 1 with the header as row 1 (blank rows are not counted);
 * `column` is the header as written in the file, absent when the whole row is meant.
 */
export type ImportProblem = { row: number; column?: string; message: string };

/** What an import checks codes against: the place list, which another part of Loa keeps. */
export type HelpEntryChecks = {
  /** Whether a province or commune code is in the place list. */
  placeExists: (code: string) => boolean;
  /** The province a commune belongs to (undefined for a province or an unknown code); when given, rows must agree. */
  provinceOf?: (communeCode: string) => string | undefined;
  /** Verification dates after today, in Viet Nam, are refused. */
  now: Date;
  /**
   * Why the person importing may not write this entry (outside her area, or replacing an entry of another
   * area), or undefined when she may. Without it every row may be written (the command line is an admin's).
   */
  refusal?: (entry: StaffDirectoryEntry) => string | undefined;
};

const maxTextLength = 300;

/** Field values of one row, read with the file's own headers so problems name the column staff see. */
type RowReader = { cell(field: HelpEntryField): string; problem(field: HelpEntryField, message: string): void };

function listItems(value: string, separators: RegExp): string[] {
  return value
    .split(separators)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** A phone as staff type it ("0212.3852.123", "0212 3852 123") in Loa's form: digit groups split by single spaces. */
function readPhone(row: RowReader): string | undefined {
  const value = row.cell("phone");
  const digits = value.replace(/[^0-9]/g, "");
  let problem: string | undefined;
  if (value === "") problem = "a phone number is required";
  else if (!/^\+?[0-9]+(?:[ .-]+[0-9]+)*$/.test(value)) problem = `"${value}" is not a phone number: use digits, grouped by spaces or dots if you like`;
  else if (digits.length < 3 || digits.length > 15) problem = `"${value}" has ${digits.length} digits; a phone number has 3 to 15`;
  else if (!value.startsWith("+") && digits.length >= 8 && !/^(0|1800|1900)/.test(digits)) {
    problem = `"${value}" does not start with 0: if the spreadsheet dropped the leading zero, format the column as text`;
  }
  if (problem === undefined) return value.replace(/[ .-]+/g, " ");
  row.problem("phone", problem);
  return undefined;
}

/** A date as YYYY-MM-DD from YYYY-MM-DD or DD/MM/YYYY, if it is a real calendar date. */
function calendarDate(value: string): string | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const local = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const [year, month, day] = (iso ? [iso[1], iso[2], iso[3]] : local ? [local[3], local[2], local[1]] : []).map(Number);
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

function readVerifiedOn(row: RowReader, now: Date): string | undefined {
  const value = row.cell("verifiedOn");
  const date = calendarDate(value);
  if (value === "") row.problem("verifiedOn", "the date the entry was checked is required (YYYY-MM-DD or DD/MM/YYYY)");
  else if (date === undefined) row.problem("verifiedOn", `"${value}" is not a date: write YYYY-MM-DD or DD/MM/YYYY`);
  else if (date > vietnamDate(now)) row.problem("verifiedOn", `${value} is in the future`);
  else return date;
  return undefined;
}

function provinceIsKnown(row: RowReader, code: string, checks: HelpEntryChecks): boolean {
  if (code === "") row.problem("provinceCode", "a province code is required");
  else if (!checks.placeExists(code)) row.problem("provinceCode", `"${code}" is not a province code in the place list`);
  else if (checks.provinceOf?.(code) !== undefined) row.problem("provinceCode", `"${code}" is a commune code, not a province code`);
  else return true;
  return false;
}

/** Whether a commune code is known and, when the place list says where communes are, lies in `provinceCode`. */
function communeIsKnown(row: RowReader, code: string, provinceCode: string | undefined, checks: HelpEntryChecks): boolean {
  if (!checks.placeExists(code)) {
    row.problem("communeCode", `"${code}" is not a commune code in the place list`);
    return false;
  }
  if (checks.provinceOf === undefined || provinceCode === undefined) return true;
  const actual = checks.provinceOf(code);
  if (actual === provinceCode) return true;
  row.problem("communeCode", `commune "${code}" is not in province "${provinceCode}"${actual === undefined ? "" : ` (it is in "${actual}")`}`);
  return false;
}

function readPlace(row: RowReader, checks: HelpEntryChecks): { provinceCode: string; communeCode?: string } | undefined {
  const provinceCode = row.cell("provinceCode");
  const communeCode = row.cell("communeCode");
  const provinceOk = provinceIsKnown(row, provinceCode, checks);
  const communeOk = communeCode === "" || communeIsKnown(row, communeCode, provinceOk ? provinceCode : undefined, checks);
  if (!provinceOk || !communeOk) return undefined;
  return communeCode === "" ? { provinceCode } : { provinceCode, communeCode };
}

function readKind(row: RowReader): StaffDirectoryEntry["kind"] | undefined {
  const value = row.cell("kind");
  const kind = codeOfLabel(directoryKindSchema.options, kindLabels, value);
  if (kind === undefined) {
    row.problem("kind", `${value === "" ? "a kind is required" : `unknown kind "${value}"`}; use one of: ${Object.values(kindLabels).join(", ")}`);
  }
  return kind;
}

function readTopics(row: RowReader): Topic[] | undefined {
  const values = listItems(row.cell("topics"), /[,;]/);
  const topics = values.map((value) => codeOfLabel(topicSchema.options, topicLabels, value));
  const unknown = values.filter((_, index) => topics[index] === undefined);
  const allowed = Object.values(topicLabels).join(", ");
  if (values.length === 0) row.problem("topics", `at least one topic is required: ${allowed}`);
  else if (unknown.length > 0) row.problem("topics", `unknown topic ${unknown.map((value) => `"${value}"`).join(", ")}; use: ${allowed}`);
  else return [...new Set(topics.filter((topic) => topic !== undefined))];
  return undefined;
}

function readLanguages(row: RowReader): string[] | undefined {
  const values = listItems(row.cell("languages").toLowerCase(), /[,;\s]+/);
  const wrong = values.filter((value) => !/^[a-z]{3}$/.test(value));
  if (values.length === 0) return ["vie"];
  if (wrong.length === 0) return [...new Set(values)];
  row.problem("languages", `${wrong.map((value) => `"${value}"`).join(", ")}: write ISO 639-3 codes such as vie, hmn, tay`);
  return undefined;
}

/** `free` (có, không, chưa rõ; empty means chưa rõ) or `emergency` (có, không; empty means không). */
function readAnswer(row: RowReader, field: "free" | "emergency"): boolean | "unknown" | undefined {
  const value = row.cell(field);
  const allowUnknown = field === "free";
  const answer = value === "" ? (allowUnknown ? "unknown" : "no") : answerOf(value);
  if (answer === "yes") return true;
  if (answer === "no") return false;
  if (answer === "unknown" && allowUnknown) return "unknown";
  row.problem(field, `"${value}": write ${allowUnknown ? "có, không or chưa rõ (yes, no or unknown)" : "có or không (yes or no)"}`);
  return undefined;
}

function readText(row: RowReader, field: "name" | "address" | "source", required: boolean): string | undefined {
  const value = row.cell(field);
  if (value === "" && required) row.problem(field, "this column must not be empty");
  else if (value.length > maxTextLength) row.problem(field, `${value.length} characters; at most ${maxTextLength}`);
  else if (value !== "") return value;
  return undefined;
}

/** Hours: empty or chưa rõ is "unknown", "24/7" is kept as the one special value, anything else is staff's text. */
function readHours(row: RowReader): string {
  const value = row.cell("hours");
  if (value === "" || answerOf(value) === "unknown") return "unknown";
  if (value.replace(/\s/g, "") === "24/7") return "24/7";
  return value;
}

/** An id for a row that has none: the same province, commune and phone always give the same id. */
function derivedId(provinceCode: string, communeCode: string | undefined, phone: string): string {
  const parts = ["local", provinceCode, communeCode ?? "", phone.replace(/[^0-9]/g, "")].filter((part) => part !== "");
  return parts.join("-").toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

/** One data row as an entry, or undefined after reporting each of its problems. */
function readEntry(row: RowReader, checks: HelpEntryChecks): StaffDirectoryEntry | undefined {
  const givenId = row.cell("id");
  const idOk = givenId === "" || directoryIdSchema.safeParse(givenId).success;
  if (!idOk) row.problem("id", `"${givenId}": an id uses lower-case letters, digits and '-'; leave it empty to have one made`);
  const kind = readKind(row);
  const name = readText(row, "name", true);
  const phone = readPhone(row);
  const address = readText(row, "address", false);
  const place = readPlace(row, checks);
  const hours = readHours(row);
  const free = readAnswer(row, "free");
  const languages = readLanguages(row);
  const topics = readTopics(row);
  const emergency = readAnswer(row, "emergency");
  const verifiedOn = readVerifiedOn(row, checks.now);
  const source = readText(row, "source", true);
  if (
    !idOk ||
    kind === undefined ||
    name === undefined ||
    phone === undefined ||
    place === undefined ||
    free === undefined ||
    languages === undefined ||
    topics === undefined ||
    typeof emergency !== "boolean" ||
    verifiedOn === undefined ||
    source === undefined
  ) {
    return undefined;
  }
  return {
    origin: "staff",
    id: givenId === "" ? derivedId(place.provinceCode, place.communeCode, phone) : givenId,
    kind,
    name,
    phone,
    ...(address === undefined ? {} : { address }),
    scope: place.communeCode === undefined ? "province" : "commune",
    ...place,
    hours,
    free,
    languages,
    topics,
    emergency,
    verifiedOn,
    source,
  };
}

/** Maps the header row to fields, reporting unknown, repeated and missing columns. */
function readHeader(header: readonly string[], problems: ImportProblem[]): Map<HelpEntryField, number> {
  const indexOf = new Map<HelpEntryField, number>();
  header.forEach((text, index) => {
    if (text === "") return;
    const column = columnOfHeader(text);
    if (column === undefined) problems.push({ row: 1, column: text, message: `unknown column; the columns are: ${helpEntryHeaderRow().join(", ")}` });
    else if (indexOf.has(column.field)) problems.push({ row: 1, column: text, message: `a second "${column.header}" column` });
    else indexOf.set(column.field, index);
  });
  for (const column of helpEntryColumns) {
    if (column.required && !indexOf.has(column.field)) problems.push({ row: 1, column: column.header, message: "this column is missing" });
  }
  return indexOf;
}

/**
 * Reads the rows of an import file (the first row names the columns) into entries, checking every row and
 * collecting every problem, so staff can fix the whole file at once. Entries are returned only when there is no
 * problem at all. Rows without an id get one made from their province, commune and phone; two rows with one id
 * are refused.
 */
export function readHelpEntryTable(rows: readonly (readonly string[])[], checks: HelpEntryChecks): { entries: StaffDirectoryEntry[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const [header, ...data] = rows;
  if (header === undefined) return { entries: [], problems: [{ row: 1, message: "the file is empty: its first row must name the columns" }] };
  const indexOf = readHeader(header, problems);
  if (problems.length > 0) return { entries: [], problems };
  const entries: StaffDirectoryEntry[] = [];
  const rowOfId = new Map<string, number>();
  data.forEach((cells, index) => {
    const rowNumber = index + 2;
    if (cells.every((cell) => cell.trim() === "")) return;
    if (cells.slice(header.length).some((cell) => cell.trim() !== "")) {
      problems.push({ row: rowNumber, message: "a value to the right of the last column, which has no header" });
    }
    const reader: RowReader = {
      cell: (field) => cells[indexOf.get(field) ?? -1]?.trim() ?? "",
      problem: (field, message) => {
        const columnIndex = indexOf.get(field);
        const column = columnIndex === undefined ? undefined : header[columnIndex];
        problems.push({ row: rowNumber, ...(column === undefined ? {} : { column }), message });
      },
    };
    const entry = readEntry(reader, checks);
    if (entry === undefined) return;
    const refused = checks.refusal?.(entry);
    if (refused !== undefined) {
      reader.problem(entry.communeCode === undefined ? "provinceCode" : "communeCode", refused);
      return;
    }
    const earlier = rowOfId.get(entry.id);
    if (earlier !== undefined) {
      const why = reader.cell("id") === "" ? "same province, commune and phone as" : "the same id as";
      reader.problem("id", `"${entry.id}": ${why} row ${earlier}; give each row its own id`);
      return;
    }
    rowOfId.set(entry.id, rowNumber);
    entries.push(entry);
  });
  return problems.length > 0 ? { entries: [], problems } : { entries, problems };
}
