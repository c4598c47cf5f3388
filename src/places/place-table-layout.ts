import { simplifyText } from "../engine/text-folding.ts";
import type { PlaceLevel } from "./place.ts";
import { foldPlaceName } from "./place-matching.ts";

/**
 * How the national statistics office's lists of administrative units are laid out: which header names
 * which column (any case, with or without accents, "(mới)" or not), and how a level ("Cấp") or a unit word
 * in front of a name ("Xã Mường Bú") is read. Pure: the importer applies it to the rows of a file.
 */

/** What a column holds. `unit*` columns hold the row's own code and name (a commune's, or a province's on its own row). */
export const columnRoles = ["provinceCode", "provinceName", "unitCode", "unitName", "level", "formerDistrict"] as const;

/** One column role. */
export type ColumnRole = (typeof columnRoles)[number];

/** Header names per role, as the office's lists (2025 and older) and common re-exports write them. */
const headerNames: Record<ColumnRole, string[]> = {
  provinceCode: ["Mã tỉnh", "Mã TP", "Mã tỉnh/thành phố", "Mã tỉnh/TP", "Mã tỉnh thành", "Mã tỉnh BNV"],
  provinceName: ["Tên tỉnh", "Tỉnh / Thành phố", "Tỉnh (thành phố)", "Tên tỉnh/thành phố", "Tên tỉnh/TP", "Tỉnh", "Tỉnh thành", "Tên tỉnh thành"],
  unitCode: ["Mã xã", "Mã phường/xã", "Mã PX", "Mã xã/phường", "Mã đơn vị", "Mã đơn vị hành chính", "Mã ĐVHC", "Mã số", "Mã"],
  unitName: ["Tên xã", "Phường Xã", "Phường/Xã", "Xã/Phường", "Tên phường/xã", "Tên xã/phường", "Tên đơn vị", "Tên đơn vị hành chính", "Tên ĐVHC", "Tên"],
  level: ["Cấp", "Loại", "Cấp hành chính", "Cấp đơn vị", "Loại đơn vị"],
  formerDistrict: ["Tên huyện cũ", "Huyện cũ", "Quận Huyện", "Quận/Huyện", "Tên quận/huyện", "Tên quận/huyện cũ", "Quận/huyện cũ", "Tên huyện"],
};

/** A header folded for lookup; a trailing "(mới)" ("Mã tỉnh (mới)") is dropped. */
function headerKey(text: string): string {
  return foldPlaceName(text).replace(/ moi$/, "");
}

const roleOfHeader = new Map<string, ColumnRole>(
  columnRoles.flatMap((role) => headerNames[role].map((name): [string, ColumnRole] => [headerKey(name), role])),
);

/** Rows searched for the header, so a title or a note above it is skipped. */
const headerSearchRows = 10;

/** Where a role's column is, and its header as written (for error messages). */
export type Column = { index: number; label: string };

/**
 * The header row (1-based) and the recognised columns; `duplicates` lists headers that mean a role already
 * taken by an earlier column, which the importer reports rather than guessing which one is meant.
 */
export type TableHeader = { row: number; columns: Partial<Record<ColumnRole, Column>>; duplicates: Array<{ label: string; sameAs: string }> };

/** A cell as stored: NFC, single spaces, trimmed. */
export function cleanCell(text: string | undefined): string {
  return (text ?? "").normalize("NFC").replace(/\s+/g, " ").trim();
}

/** The first of the top rows naming at least a code column and a name column, or undefined. */
export function findTableHeader(rows: readonly (readonly string[])[]): TableHeader | undefined {
  for (let index = 0; index < Math.min(rows.length, headerSearchRows); index += 1) {
    const header: TableHeader = { row: index + 1, columns: {}, duplicates: [] };
    (rows[index] ?? []).forEach((cell, column) => {
      const role = roleOfHeader.get(headerKey(cell));
      if (role === undefined) return;
      const earlier = header.columns[role];
      if (earlier === undefined) header.columns[role] = { index: column, label: cleanCell(cell) };
      else header.duplicates.push({ label: cleanCell(cell), sameAs: earlier.label });
    });
    const { columns } = header;
    const hasCode = columns.unitCode !== undefined || columns.provinceCode !== undefined;
    const hasName = columns.unitName !== undefined || columns.provinceName !== undefined;
    if (hasCode && hasName) return header;
  }
  return undefined;
}

/** Read so it can be refused: a list holding thị trấn is from before 1/7/2025, when they were abolished. */
export const abolishedUnitType = "thị trấn";

/** Unit words a name may start with, lower case with diacritics (so "Xà Phiên" keeps its "Xà"), and what they say. */
const unitWordsOfNames: Array<{ words: string[]; level: PlaceLevel; unitType: string }> = [
  { words: ["thành", "phố"], level: "province", unitType: "thành phố" },
  { words: ["tp"], level: "province", unitType: "thành phố" },
  { words: ["tỉnh"], level: "province", unitType: "tỉnh" },
  { words: ["thị", "trấn"], level: "commune", unitType: abolishedUnitType },
  { words: ["đặc", "khu"], level: "commune", unitType: "đặc khu" },
  { words: ["phường"], level: "commune", unitType: "phường" },
  { words: ["xã"], level: "commune", unitType: "xã" },
];

/** A name without its unit word, and what the unit word said (nothing when the name has none). */
export type SplitName = { bare: string; level?: PlaceLevel; unitType?: string };

/** "Xã Mường Bú" → Mường Bú, a xã; "Tp Đà Nẵng" → Đà Nẵng, a thành phố; "Mường Bú" → itself. */
export function splitUnitWord(name: string): SplitName {
  const words = name.split(" ");
  for (const unit of unitWordsOfNames) {
    const count = unit.words.length;
    if (words.length > count && simplifyText(words.slice(0, count).join(" ")) === unit.words.join(" ")) {
      return { bare: words.slice(count).join(" "), level: unit.level, unitType: unit.unitType };
    }
  }
  return { bare: name };
}

/** Commune unit types by their folded "Cấp" cell. */
const communeLevels = new Map([
  ["xa", "xã"],
  ["phuong", "phường"],
  ["dac khu", "đặc khu"],
  ["thi tran", abolishedUnitType],
]);

/** The level and unit type a "Cấp" cell names ("Tỉnh", "Thành phố Trung ương", "Xã", "Phường", "Đặc khu"), or undefined. */
export function levelOfCell(text: string): { level: PlaceLevel; unitType: string } | undefined {
  const key = foldPlaceName(text);
  if (key === "tinh") return { level: "province", unitType: "tỉnh" };
  if (key === "thanh pho" || key.startsWith("thanh pho trung uong") || key.startsWith("thanh pho truc thuoc trung uong")) {
    return { level: "province", unitType: "thành phố" };
  }
  const commune = communeLevels.get(key);
  return commune === undefined ? undefined : { level: "commune", unitType: commune };
}

/** An official code: digits, left-padded to the list's width ("1" from an Excel number cell becomes "01"). */
export function officialCode(text: string, width: number): string | undefined {
  return /^\d+$/.test(text) && text.length <= width ? text.padStart(width, "0") : undefined;
}
