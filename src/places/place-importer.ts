import { LoaError } from "../errors.ts";
import { readTableFile } from "../tables/table-file.ts";
import type { PlaceLevel, PlaceRecord } from "./place.ts";
import { foldPlaceName } from "./place-matching.ts";
import {
  abolishedUnitType,
  cleanCell,
  columnRoles,
  findTableHeader,
  levelOfCell,
  officialCode,
  splitUnitWord,
  type ColumnRole,
  type SplitName,
  type TableHeader,
} from "./place-table-layout.ts";

/**
 * Reads the national statistics office's list of administrative units (CSV or XLSX, as downloaded or as
 * re-saved by Excel) into place records. All or nothing: every problem is collected with its row and
 * column, and any problem fails the whole file, so a half-read list never replaces a good one.
 */

/** One problem in the file. `row` is 1-based among the file's non-blank rows (what a spreadsheet shows when none are blank). */
export type ImportProblem = { row: number; column: string | null; message: string };

/** A file that cannot be imported; `problems` lists every row error, in row order. */
export class PlaceImportError extends LoaError {
  constructor(
    readonly file: string,
    readonly problems: readonly ImportProblem[],
  ) {
    super(`${file}: ${problems.length} problem(s); nothing was imported`, "places:import-invalid", { context: { file, problems } });
  }
}

/** What a valid file holds: provinces (on their own rows, or named on their communes' rows) and communes. */
export type PlaceImport = { provinces: PlaceRecord[]; communes: PlaceRecord[] };

/** "row 12, column "Mã xã": missing code", for the command line. */
export function formatImportProblem(problem: ImportProblem): string {
  return `row ${problem.row}${problem.column === null ? "" : `, column "${problem.column}"`}: ${problem.message}`;
}

type RowValues = Record<ColumnRole, string>;
type Entry = { record: PlaceRecord; row: number };
/** `listed`: the province has its own row, rather than only being named on its communes' rows. */
type ProvinceEntry = Entry & { listed: boolean };
type CommuneEntry = Entry & { provinceName: string; provinceColumn: string };

/** What one read of a file collects; every row adds to it, `finish` checks what needs the whole file. */
type ImportState = {
  header: TableHeader;
  known: ReadonlyMap<string, PlaceRecord>;
  provinces: Map<string, ProvinceEntry>;
  communes: Map<string, CommuneEntry>;
  problems: ImportProblem[];
};

function columnLabel(state: ImportState, role: ColumnRole, fallback: string): string {
  return state.header.columns[role]?.label ?? fallback;
}

/** Whether the row is a province or a commune, from "Cấp", else from a unit word, else from which cells are filled. */
function classifyRow(state: ImportState, values: RowValues, row: number): { level: PlaceLevel; unitType: string | undefined } | undefined {
  const fail = (role: ColumnRole, fallback: string, message: string) => {
    state.problems.push({ row, column: columnLabel(state, role, fallback), message });
    return undefined;
  };
  let found: { level: PlaceLevel | undefined; unitType: string | undefined };
  if (values.level !== "") {
    const named = levelOfCell(values.level);
    if (named === undefined) {
      return fail("level", "Cấp", `unknown level "${values.level}": expected Tỉnh, Thành phố Trung ương, Xã, Phường or Đặc khu (there are no districts since 1/7/2025)`);
    }
    found = named;
  } else if (values.unitName !== "") {
    const split = splitUnitWord(values.unitName);
    const hasProvince = values.provinceCode !== "" || values.provinceName !== "";
    found = { level: split.level ?? (values.unitCode !== "" && hasProvince ? "commune" : undefined), unitType: split.unitType };
  } else {
    // No name of its own: a province named only in the province columns, or a commune missing its name.
    const hasProvince = values.provinceCode !== "" || values.provinceName !== "";
    found = { level: hasProvince ? (values.unitCode === "" ? "province" : "commune") : undefined, unitType: undefined };
  }
  if (found.level === undefined) {
    return fail("unitName", "Tên xã", "cannot tell whether this row is a province or a commune: add a Cấp column or write the unit word before the name");
  }
  if (found.unitType === abolishedUnitType) {
    return fail(values.level === "" ? "unitName" : "level", "Cấp", "thị trấn units were abolished on 1/7/2025: this looks like a list from before then");
  }
  return { level: found.level, unitType: found.unitType };
}

/** Records a province, once per code; `listed: false` (named on a commune row) only refreshes a known province. */
function addProvince(state: ImportState, code: string, name: SplitName, at: { row: number; column: string; listed: boolean; unitType: string | undefined }) {
  const known = state.known.get(code);
  // A province only named on commune rows must already be known: a list from before 2025 names 63 of them.
  if (!at.listed && known === undefined) return;
  const earlier = state.provinces.get(code);
  if (earlier !== undefined) {
    if (earlier.record.name !== name.bare) {
      state.problems.push({ row: at.row, column: at.column, message: `province ${code} is "${earlier.record.name}" in row ${earlier.row}, "${name.bare}" here` });
    }
    earlier.listed ||= at.listed;
    return;
  }
  const unitType = at.unitType ?? name.unitType ?? known?.unitType;
  if (unitType === undefined) {
    state.problems.push({ row: at.row, column: at.column, message: `cannot tell whether province ${code} is a tỉnh or a thành phố: add a Cấp column or write the unit word before the name` });
    return;
  }
  state.provinces.set(code, {
    row: at.row,
    listed: at.listed,
    // The file has no former provinces; a known province keeps its own.
    record: { code, level: "province", name: name.bare, unitType, provinceCode: null, formerNames: known?.formerNames ?? [], formerDistricts: [], sample: false },
  });
}

function readProvinceRow(state: ImportState, values: RowValues, row: number, unitType: string | undefined): void {
  const ownCode = values.unitCode !== "";
  const codeColumn = ownCode ? columnLabel(state, "unitCode", "Mã") : columnLabel(state, "provinceCode", "Mã tỉnh");
  const codeText = ownCode ? values.unitCode : values.provinceCode;
  const name = splitUnitWord(values.unitName !== "" ? values.unitName : values.provinceName);
  const code = officialCode(codeText, 2);
  if (codeText === "") state.problems.push({ row, column: codeColumn, message: "missing code" });
  else if (code === undefined) state.problems.push({ row, column: codeColumn, message: `"${codeText}" is not a 2-digit province code` });
  if (name.bare === "") {
    const nameColumn = values.unitName !== "" ? columnLabel(state, "unitName", "Tên") : columnLabel(state, "provinceName", "Tên tỉnh");
    state.problems.push({ row, column: nameColumn, message: "missing name" });
  }
  if (code !== undefined && name.bare !== "") addProvince(state, code, name, { row, column: codeColumn, listed: true, unitType });
}

function readCommuneRow(state: ImportState, values: RowValues, row: number, unitType: string | undefined): void {
  const { problems } = state;
  const nameColumn = columnLabel(state, "unitName", "Tên xã");
  const codeColumn = columnLabel(state, "unitCode", "Mã xã");
  const code = officialCode(values.unitCode, 5);
  const name = splitUnitWord(values.unitName).bare;
  if (values.unitCode === "") problems.push({ row, column: codeColumn, message: "missing code" });
  else if (code === undefined) problems.push({ row, column: codeColumn, message: `"${values.unitCode}" is not a 5-digit commune code` });
  if (name === "") problems.push({ row, column: nameColumn, message: "missing name" });
  if (name !== "" && unitType === undefined) {
    problems.push({ row, column: nameColumn, message: "cannot tell whether this is a xã, phường or đặc khu: add a Cấp column or write the unit word before the name" });
  }

  const byCode = values.provinceCode !== "";
  const provinceColumn =
    byCode || values.provinceName === ""
      ? columnLabel(state, "provinceCode", columnLabel(state, "provinceName", "Mã tỉnh"))
      : columnLabel(state, "provinceName", "Tên tỉnh");
  const provinceCode = officialCode(values.provinceCode, 2);
  if (byCode && provinceCode === undefined) problems.push({ row, column: provinceColumn, message: `"${values.provinceCode}" is not a 2-digit province code` });
  if (!byCode && values.provinceName === "") problems.push({ row, column: provinceColumn, message: "missing province" });
  if (provinceCode !== undefined && values.provinceName !== "") {
    addProvince(state, provinceCode, splitUnitWord(values.provinceName), { row, column: columnLabel(state, "provinceName", "Tên tỉnh"), listed: false, unitType: undefined });
  }
  if (code === undefined || name === "" || unitType === undefined || (byCode && provinceCode === undefined)) return;

  const earlier = state.communes.get(code);
  if (earlier === undefined) {
    const formerDistricts = values.formerDistrict === "" ? [] : [values.formerDistrict];
    const record: PlaceRecord = { code, level: "commune", name, unitType, provinceCode: provinceCode ?? null, formerNames: [], formerDistricts, sample: false };
    state.communes.set(code, { record, row, provinceName: values.provinceName, provinceColumn });
    return;
  }
  // The same commune again: one row per district it was formed from, in lists that map old units to new.
  const before = earlier.record;
  if (before.name !== name) {
    problems.push({ row, column: nameColumn, message: `code ${code} is "${before.name}" in row ${earlier.row}, "${name}" here` });
  } else if (provinceCode !== undefined && before.provinceCode !== provinceCode) {
    problems.push({ row, column: provinceColumn, message: `commune ${code} is in province ${before.provinceCode ?? "?"} in row ${earlier.row}, ${provinceCode} here` });
  } else if (values.formerDistrict !== "" && !before.formerDistricts.some((district) => foldPlaceName(district) === foldPlaceName(values.formerDistrict))) {
    before.formerDistricts.push(values.formerDistrict);
  }
}

/** Attaches each commune to its province once every row is read (provinces may be listed after their communes). */
function attachCommunes(state: ImportState): void {
  const provinceByName = new Map<string, string>();
  for (const province of [...state.known.values(), ...[...state.provinces.values()].map((entry) => entry.record)]) {
    provinceByName.set(foldPlaceName(province.name), province.code);
  }
  for (const { record, row, provinceName, provinceColumn } of state.communes.values()) {
    if (record.provinceCode === null) {
      const name = splitUnitWord(provinceName).bare;
      const code = provinceByName.get(foldPlaceName(name));
      if (code === undefined) state.problems.push({ row, column: provinceColumn, message: `province "${name}" is neither in the file nor known` });
      else record.provinceCode = code;
    } else if (!state.provinces.has(record.provinceCode) && !state.known.has(record.provinceCode)) {
      state.problems.push({ row, column: provinceColumn, message: `province ${record.provinceCode} is neither in the file nor known` });
    }
  }
}

/**
 * Turns the rows of a table file into provinces and communes, or throws a `PlaceImportError` listing every
 * problem. A commune's province must be in the file or among `knownProvinces` (by code, or by its current
 * name when the file gives only a name). Rows repeating a commune with another former district add that
 * district. Provinces keep the former names of the known province with their code (the file has none).
 */
export function parsePlaceTable(rows: readonly (readonly string[])[], options: { file: string; knownProvinces: readonly PlaceRecord[] }): PlaceImport {
  const header = findTableHeader(rows);
  if (header === undefined) {
    const message = "no header row found: expected columns such as Mã tỉnh, Tên tỉnh, Mã xã, Tên xã, Cấp (and optionally Tên huyện cũ)";
    throw new PlaceImportError(options.file, [{ row: 1, column: null, message }]);
  }
  const state: ImportState = {
    header,
    known: new Map(options.knownProvinces.map((province) => [province.code, province])),
    provinces: new Map(),
    communes: new Map(),
    problems: header.duplicates.map(({ label, sameAs }) => ({ row: header.row, column: label, message: `means the same as column "${sameAs}"; keep one of them` })),
  };
  let dataRows = 0;
  for (let index = header.row; index < rows.length; index += 1) {
    const cells = rows[index] ?? [];
    const read = (role: ColumnRole) => cleanCell(header.columns[role] === undefined ? "" : cells[header.columns[role].index]);
    const values: RowValues = {
      provinceCode: read("provinceCode"),
      provinceName: read("provinceName"),
      unitCode: read("unitCode"),
      unitName: read("unitName"),
      level: read("level"),
      formerDistrict: read("formerDistrict"),
    };
    if (columnRoles.every((role) => values[role] === "")) continue;
    dataRows += 1;
    const kind = classifyRow(state, values, index + 1);
    if (kind?.level === "province") readProvinceRow(state, values, index + 1, kind.unitType);
    else if (kind?.level === "commune") readCommuneRow(state, values, index + 1, kind.unitType);
  }
  attachCommunes(state);
  if (dataRows === 0) state.problems.push({ row: header.row, column: null, message: "no rows below the header" });
  if (state.problems.length > 0) throw new PlaceImportError(options.file, [...state.problems].sort((a, b) => a.row - b.row));
  return {
    provinces: [...state.provinces.values()].map((entry) => entry.record),
    communes: [...state.communes.values()].map((entry) => entry.record),
  };
}

/** Reads a CSV or XLSX file (first sheet) with `readTableFile` and parses it with `parsePlaceTable`. */
export async function readPlaceFile(file: string, knownProvinces: readonly PlaceRecord[]): Promise<PlaceImport> {
  return parsePlaceTable(await readTableFile(file), { file, knownProvinces });
}
