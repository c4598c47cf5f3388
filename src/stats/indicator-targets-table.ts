// The spreadsheet staff fill in with each commune's target population (the denominator of an indicator) for a
// year: one row per indicator, commune and year, Vietnamese headers (English ones accepted). Export writes the
// same columns plus the indicator's and the commune's names, which import skips, so a file round-trips.
import { foldText } from "../engine/text-folding.ts";
import type { ImportProblem } from "../directory/help-entry-table.ts";

/** What a row sets: the target population of one indicator in one commune for one year. */
export type TargetRow = { indicatorId: string; communeCode: string; provinceCode: string; year: number; population: number };

type TargetField = "indicatorId" | "communeCode" | "year" | "population" | "indicatorName" | "communeName";

/** One column: the header export writes, other headers import accepts, and whether import reads it. */
type TargetColumn = { field: TargetField; header: string; aliases: readonly string[]; read: boolean };

/** The columns in the order export writes them; the names are for people and are not read back. */
const targetColumns: readonly TargetColumn[] = [
  { field: "indicatorId", header: "mã chỉ tiêu", aliases: ["indicator id", "indicator"], read: true },
  { field: "indicatorName", header: "tên chỉ tiêu", aliases: ["indicator name"], read: false },
  { field: "communeCode", header: "mã xã", aliases: ["commune code"], read: true },
  { field: "communeName", header: "tên xã", aliases: ["commune name"], read: false },
  { field: "year", header: "năm", aliases: ["year"], read: true },
  { field: "population", header: "mẫu số", aliases: ["population", "dân số", "số đối tượng"], read: true },
];

/** The largest target population accepted: more than any commune has people. */
export const maxTargetPopulation = 10_000_000;

/** What a target file is checked against: the indicators, the place list and the importer's area. */
export type TargetChecks = {
  /** Why targets cannot be entered for this indicator id (unknown, or it counts people only), or undefined. */
  indicatorProblem: (indicatorId: string) => string | undefined;
  /** The province of a commune code, or undefined when it is not a commune in the place list. */
  provinceOf: (communeCode: string) => string | undefined;
  /** Why the importer may not set this commune's target (outside her area), or undefined. */
  refusal: (target: TargetRow) => string | undefined;
};

/** The header row export writes. */
export function targetHeaderRow(): string[] {
  return targetColumns.map((column) => column.header);
}

/** One target as an export row, with the indicator's and the commune's names beside the codes. */
export function targetRow(target: TargetRow, names: { indicator: string; commune: string }): string[] {
  const cells: Record<TargetField, string> = {
    indicatorId: target.indicatorId,
    indicatorName: names.indicator,
    communeCode: target.communeCode,
    communeName: names.commune,
    year: String(target.year),
    population: String(target.population),
  };
  return targetColumns.map((column) => cells[column.field]);
}

/** A whole number as staff type it: "1234", "1.234" or "1 234" (Vietnamese groups thousands with dots). */
export function wholeNumber(text: string): number | undefined {
  if (!/^\d{1,3}(?:[. ]\d{3})+$|^\d+$/.test(text)) return undefined;
  return Number(text.replace(/[. ]/g, ""));
}

/**
 * Reads the rows of a target file (the first row names the columns), checking every row and collecting every
 * problem with the row number the spreadsheet shows, so staff fix the whole file at once. Targets are returned
 * only when there is no problem at all; a second row for the same indicator, commune and year is a problem.
 */
export function readTargetTable(rows: readonly (readonly string[])[], checks: TargetChecks): { targets: TargetRow[]; problems: ImportProblem[] } {
  const [header, ...data] = rows;
  if (header === undefined) return { targets: [], problems: [{ row: 1, message: "the file is empty: its first row must name the columns" }] };
  const problems: ImportProblem[] = [];
  const indexOf = new Map<TargetField, number>();
  header.forEach((text, index) => {
    if (text === "") return;
    const column = targetColumns.find((candidate) => [candidate.header, ...candidate.aliases].some((name) => foldText(name) === foldText(text)));
    if (column === undefined) problems.push({ row: 1, column: text, message: `unknown column; the columns are: ${targetHeaderRow().join(", ")}` });
    else if (indexOf.has(column.field)) problems.push({ row: 1, column: text, message: `a second "${column.header}" column` });
    else indexOf.set(column.field, index);
  });
  for (const column of targetColumns) {
    if (column.read && !indexOf.has(column.field)) problems.push({ row: 1, column: column.header, message: "this column is missing" });
  }
  if (problems.length > 0) return { targets: [], problems };

  const targets: TargetRow[] = [];
  const rowOfKey = new Map<string, number>();
  data.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((cell) => cell.trim() === "")) return;
    const cell = (field: TargetField) => cells[indexOf.get(field) ?? -1]?.trim() ?? "";
    const problem = (field: TargetField, message: string) => problems.push({ row, column: header[indexOf.get(field) ?? -1] ?? field, message });
    const indicatorId = cell("indicatorId");
    const indicatorProblem = indicatorId === "" ? "an indicator id is required" : checks.indicatorProblem(indicatorId);
    if (indicatorProblem !== undefined) problem("indicatorId", indicatorProblem);
    const communeCode = cell("communeCode");
    const provinceCode = communeCode === "" ? undefined : checks.provinceOf(communeCode);
    if (provinceCode === undefined) problem("communeCode", communeCode === "" ? "a commune code is required" : `"${communeCode}" is not a commune code in the place list`);
    const year = wholeNumber(cell("year"));
    if (year === undefined || year < 2000 || year > 2100) problem("year", `"${cell("year")}" is not a year such as 2026`);
    const population = wholeNumber(cell("population"));
    if (population === undefined || population < 1 || population > maxTargetPopulation) {
      problem("population", `"${cell("population")}" is not a whole number from 1 to ${maxTargetPopulation}`);
    }
    if (indicatorProblem !== undefined || provinceCode === undefined || year === undefined || population === undefined || problems.some((found) => found.row === row)) return;
    const target: TargetRow = { indicatorId, communeCode, provinceCode, year, population };
    const refused = checks.refusal(target);
    if (refused !== undefined) {
      problem("communeCode", refused);
      return;
    }
    const key = `${indicatorId}|${communeCode}|${year}`;
    const earlier = rowOfKey.get(key);
    if (earlier !== undefined) {
      problem("communeCode", `the same indicator, commune and year as row ${earlier}`);
      return;
    }
    rowOfKey.set(key, row);
    targets.push(target);
  });
  return problems.length > 0 ? { targets: [], problems } : { targets, problems };
}
