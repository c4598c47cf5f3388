import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlaceRecord } from "../../src/places/place.ts";
import { formatImportProblem, parsePlaceTable, PlaceImportError, type ImportProblem } from "../../src/places/place-importer.ts";
import { loadShippedPlaces } from "../../src/places/shipped-places.ts";

const contentDir = join(import.meta.dirname, "../../content");
let knownProvinces: PlaceRecord[];

beforeAll(async () => {
  knownProvinces = (await loadShippedPlaces(contentDir)).provinces;
});

const parse = (rows: string[][]) => parsePlaceTable(rows, { file: "list.csv", knownProvinces });

function problemsOf(rows: string[][]): ImportProblem[] {
  try {
    parse(rows);
  } catch (error) {
    if (error instanceof PlaceImportError) return [...error.problems];
    throw error;
  }
  throw new Error("expected the file to be refused");
}

describe("parsePlaceTable", () => {
  it("reads the office's per-commune layout, whatever the header's case and accents, after a title row", () => {
    const { provinces, communes } = parse([
      ["DANH MỤC ĐƠN VỊ HÀNH CHÍNH", "", "", "", "", ""],
      ["STT", "MÃ TỈNH", "tinh / thanh pho", "Mã Phường/Xã", "PHƯỜNG XÃ", "cap"],
      ["1", "14", "Tỉnh Sơn La", "03646", "Phường Tô Hiệu", "Phường"],
      ["2", "14", "Tỉnh Sơn La", "03847", "Xã Mường Bú", "Xã"],
      ["3", "51", "Tỉnh Quảng Ngãi", "21548", "Đặc khu Lý Sơn", "Đặc khu"],
    ]);
    expect(communes.map((place) => [place.code, place.name, place.unitType, place.provinceCode])).toEqual([
      ["03646", "Tô Hiệu", "phường", "14"],
      ["03847", "Mường Bú", "xã", "14"],
      ["21548", "Lý Sơn", "đặc khu", "51"],
    ]);
    expect(communes.every((place) => !place.sample && place.formerDistricts.length === 0)).toBe(true);
    // Named on commune rows, known provinces are refreshed from the file and keep their former names.
    expect(provinces.map((place) => [place.code, place.name, place.unitType, place.formerNames])).toEqual([
      ["14", "Sơn La", "tỉnh", []],
      ["51", "Quảng Ngãi", "tỉnh", ["Kon Tum"]],
    ]);
  });

  it("reads one list of units with a Cấp column, provinces and communes mixed, in any order", () => {
    const { provinces, communes } = parse([
      ["Mã", "Tên", "Cấp", "Mã tỉnh (mới)"],
      ["03646", "Tô Hiệu", "Phường", "14"],
      ["14", "Sơn La", "Tỉnh", ""],
      ["79", "Thành phố Hồ Chí Minh", "Thành phố Trung ương", ""],
      ["1", "Hà Nội", "Thành phố Trung ương", ""],
      ["70", "Hoàn Kiếm", "Phường", "1"],
    ]);
    expect(provinces.map((place) => [place.code, place.name, place.unitType])).toEqual([
      ["14", "Sơn La", "tỉnh"],
      ["79", "Hồ Chí Minh", "thành phố"],
      ["01", "Hà Nội", "thành phố"],
    ]);
    expect(communes.map((place) => [place.code, place.name, place.provinceCode])).toEqual([
      ["03646", "Tô Hiệu", "14"],
      ["00070", "Hoàn Kiếm", "01"],
    ]);
  });

  it("finds a commune's province by its current name when the list gives no province code", () => {
    const { communes } = parse([
      ["Stt", "Mã số", "Tên đơn vị hành chính", "Tỉnh (thành phố)"],
      ["390", "03646", "Phường Tô Hiệu", "Tỉnh Sơn La"],
      ["1929", "20704", "Xã La Dêê", "Tp Đà Nẵng"],
      ["2002", "23293", "Phường Kon Tum", "TỈNH QUẢNG NGÃI"],
    ]);
    expect(communes.map((place) => [place.code, place.provinceCode])).toEqual([
      ["03646", "14"],
      ["20704", "48"],
      ["23293", "51"],
    ]);
  });

  it("merges the former districts of a commune listed once per district", () => {
    const { communes } = parse([
      ["Mã tỉnh", "Tên tỉnh", "Mã xã", "Tên xã", "Tên huyện cũ"],
      ["14", "Sơn La", "03847", "Xã Mường Bú", "Huyện Mường La"],
      ["14", "Sơn La", "03847", "Xã Mường Bú", "Huyện Mai Sơn"],
      ["14", "Sơn La", "03847", "Xã Mường Bú", "huyện mường la"],
      ["14", "Sơn La", "03646", "Phường Tô Hiệu", ""],
    ]);
    expect(communes.map((place) => [place.code, place.formerDistricts])).toEqual([
      ["03847", ["Huyện Mường La", "Huyện Mai Sơn"]],
      ["03646", []],
    ]);
  });

  it("reports every problem with its 1-based row and column, and imports nothing", () => {
    const problems = problemsOf([
      ["Mã tỉnh", "Tên tỉnh", "Mã xã", "Tên xã", "Cấp", "Quận Huyện"],
      ["14", "Sơn La", "", "Xã Không Mã", "Xã", ""],
      ["14", "Sơn La", "03848", "Xã Một", "Huyện", ""],
      ["07", "Hà Giang", "03849", "Xã Hai", "Xã", ""],
      ["14", "Sơn La", "03847", "Xã Mường Bú", "Xã", "Huyện Mường La"],
      ["14", "Sơn La", "03847", "Xã Mường Bu", "Xã", ""],
      ["14", "Sơn La", "03850", "Xã Ba", "Xã", ""],
      ["20", "Lạng Sơn", "03850", "Xã Ba", "Xã", ""],
      ["", "", "3.5", "Xã Bốn", "Xã", ""],
      ["14", "Sơn La", "03852", "Thị trấn Năm", "", ""],
    ]);
    expect(problems.map(formatImportProblem)).toEqual([
      'row 2, column "Mã xã": missing code',
      'row 3, column "Cấp": unknown level "Huyện": expected Tỉnh, Thành phố Trung ương, Xã, Phường or Đặc khu (there are no districts since 1/7/2025)',
      'row 4, column "Mã tỉnh": province 07 is neither in the file nor known',
      'row 6, column "Tên xã": code 03847 is "Mường Bú" in row 5, "Mường Bu" here',
      'row 8, column "Mã tỉnh": commune 03850 is in province 14 in row 7, 20 here',
      'row 9, column "Mã xã": "3.5" is not a 5-digit commune code',
      'row 9, column "Mã tỉnh": missing province',
      'row 10, column "Tên xã": thị trấn units were abolished on 1/7/2025: this looks like a list from before then',
    ]);
  });

  it("reports a province named twice with different names, a missing name and an undecidable row", () => {
    const problems = problemsOf([
      ["Mã", "Tên", "Mã tỉnh"],
      ["14", "Tỉnh Sơn La", ""],
      ["14", "Tỉnh Sơn Lá", ""],
      ["03847", "", "14"],
      ["03848", "Mường Bú", "14"],
      ["", "Mường Bú", ""],
    ]);
    expect(problems.map(formatImportProblem)).toEqual([
      'row 3, column "Mã": province 14 is "Sơn La" in row 2, "Sơn Lá" here',
      'row 4, column "Tên": missing name',
      'row 5, column "Tên": cannot tell whether this is a xã, phường or đặc khu: add a Cấp column or write the unit word before the name',
      'row 6, column "Tên": cannot tell whether this row is a province or a commune: add a Cấp column or write the unit word before the name',
    ]);
  });

  it("refuses a file without a recognisable header, two columns for one thing, or no rows", () => {
    expect(problemsOf([["Số", "Địa danh"], ["1", "Mường Bú"]]).map(formatImportProblem)).toEqual([
      "row 1: no header row found: expected columns such as Mã tỉnh, Tên tỉnh, Mã xã, Tên xã, Cấp (and optionally Tên huyện cũ)",
    ]);
    expect(problemsOf([["Mã xã", "Tên xã", "Mã PX", "Mã tỉnh"], ["03847", "Xã Mường Bú", "03847", "14"]]).map(formatImportProblem)).toEqual([
      'row 1, column "Mã PX": means the same as column "Mã xã"; keep one of them',
    ]);
    expect(problemsOf([["Mã xã", "Tên xã", "Mã tỉnh"]]).map(formatImportProblem)).toEqual(["row 1: no rows below the header"]);
  });

  it("says in its message how many problems there were and that nothing was imported", () => {
    expect(() => parse([["Mã xã", "Tên xã", "Mã tỉnh"], ["03847", "Xã Mường Bú", "99"]])).toThrow(
      "list.csv: 1 problem(s); nothing was imported",
    );
  });
});
