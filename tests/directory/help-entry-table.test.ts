import { describe, expect, it } from "vitest";
import { readHelpEntryTable, type HelpEntryChecks } from "../../src/directory/help-entry-table.ts";

// TEST DATA ONLY: fictional places, names and phone numbers.
const provinceOfCommune = new Map([
  ["test-commune-a", "test-province-a"],
  ["test-commune-b", "test-province-b"],
]);
const checks: HelpEntryChecks = {
  placeExists: (code) => ["test-province-a", "test-province-b"].includes(code) || provinceOfCommune.has(code),
  provinceOf: (code) => provinceOfCommune.get(code),
  now: new Date("2026-11-26T09:00:00+07:00"),
};

const vietnameseHeader = [
  "id",
  "Loại",
  "Tên",
  "Điện thoại",
  "Địa chỉ",
  "Mã tỉnh",
  "Mã xã",
  "Giờ",
  "Miễn phí",
  "Ngôn ngữ",
  "Chủ đề",
  "Khẩn cấp",
  "Ngày xác minh",
  "Nguồn",
];

function row(overrides: Partial<Record<string, string>> = {}): string[] {
  const cells: Record<string, string> = {
    id: "",
    Loại: "địa chỉ tin cậy",
    Tên: "Địa chỉ tin cậy xã Thử Nghiệm",
    "Điện thoại": "0000.000.001",
    "Địa chỉ": "Trạm y tế xã",
    "Mã tỉnh": "test-province-a",
    "Mã xã": "test-commune-a",
    Giờ: "24/7",
    "Miễn phí": "có",
    "Ngôn ngữ": "vie, hmn",
    "Chủ đề": "bạo lực gia đình, tảo hôn",
    "Khẩn cấp": "có",
    "Ngày xác minh": "15/03/2026",
    Nguồn: "Hội LHPN xã, 03/2026",
    ...overrides,
  };
  return vietnameseHeader.map((header) => cells[header] ?? "");
}

describe("readHelpEntryTable", () => {
  it("reads a row with Vietnamese headers into an entry, normalising the phone and the date", () => {
    const { entries, problems } = readHelpEntryTable([vietnameseHeader, row()], checks);
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      {
        origin: "staff",
        id: "local-test-province-a-test-commune-a-0000000001",
        kind: "trusted-address",
        name: "Địa chỉ tin cậy xã Thử Nghiệm",
        phone: "0000 000 001",
        address: "Trạm y tế xã",
        scope: "commune",
        provinceCode: "test-province-a",
        communeCode: "test-commune-a",
        hours: "24/7",
        free: true,
        languages: ["vie", "hmn"],
        topics: ["violence", "child-marriage"],
        emergency: true,
        verifiedOn: "2026-03-15",
        source: "Hội LHPN xã, 03/2026",
      },
    ]);
  });

  it("accepts English headers and values, and fills defaults for the optional columns", () => {
    const header = ["kind", "name", "phone", "province code", "topics", "verified on", "source"];
    const { entries, problems } = readHelpEntryTable(
      [header, ["shelter", "Nhà tạm lánh tỉnh", "0000 000 002", "test-province-b", "violence", "2026-01-31", "https://example.org/fictional"]],
      checks,
    );
    expect(problems).toEqual([]);
    expect(entries[0]).toMatchObject({
      id: "local-test-province-b-0000000002",
      kind: "shelter",
      scope: "province",
      hours: "unknown",
      free: "unknown",
      languages: ["vie"],
      emergency: false,
      verifiedOn: "2026-01-31",
    });
    expect(entries[0]).not.toHaveProperty("communeCode");
    expect(entries[0]).not.toHaveProperty("address");
  });

  it("keeps staff-written hours and reads chưa rõ as unknown", () => {
    const { entries } = readHelpEntryTable(
      [
        vietnameseHeader,
        row({ Giờ: "7:00–17:00, thứ Hai–thứ Sáu", "Miễn phí": "Chưa rõ" }),
        row({ Giờ: "chưa rõ", "Miễn phí": "không", "Điện thoại": "0000 000 003" }),
      ],
      checks,
    );
    expect(entries.map((entry) => [entry.hours, entry.free])).toEqual([
      ["7:00–17:00, thứ Hai–thứ Sáu", "unknown"],
      ["unknown", false],
    ]);
  });

  it("reports every bad row at once, with its row number and column, and returns no entries", () => {
    const { entries, problems } = readHelpEntryTable(
      [
        vietnameseHeader,
        row({ id: "test-good" }),
        row({ "Điện thoại": "gọi 113" }),
        row({ "Mã tỉnh": "test-nowhere", Loại: "chợ" }),
        row({ "Mã tỉnh": "test-province-b", "Mã xã": "test-commune-a" }),
        row({ "Ngày xác minh": "27/11/2026", "Chủ đề": "bạo lực gia đình, thời tiết" }),
        row({ id: "test-good", "Điện thoại": "0000 000 009" }),
        row({ "Điện thoại": "912345678" }),
        row({ "Ngày xác minh": "31/02/2026", "Miễn phí": "có lẽ" }),
      ],
      checks,
    );
    expect(entries).toEqual([]);
    expect(problems.map((problem) => [problem.row, problem.column])).toEqual([
      [3, "Điện thoại"],
      [4, "Loại"],
      [4, "Mã tỉnh"],
      [5, "Mã xã"],
      [6, "Chủ đề"],
      [6, "Ngày xác minh"],
      [7, "id"],
      [8, "Điện thoại"],
      [9, "Miễn phí"],
      [9, "Ngày xác minh"],
    ]);
    const message = (rowNumber: number, column: string) =>
      problems.find((problem) => problem.row === rowNumber && problem.column === column)?.message ?? "";
    expect(message(4, "Mã tỉnh")).toContain("test-nowhere");
    expect(message(5, "Mã xã")).toContain('it is in "test-province-a"');
    expect(message(6, "Ngày xác minh")).toContain("future");
    expect(message(6, "Chủ đề")).toContain("thời tiết");
    expect(message(7, "id")).toContain("row 2");
    expect(message(8, "Điện thoại")).toContain("leading zero");
  });

  it("refuses two rows that would get the same made-up id", () => {
    const { problems } = readHelpEntryTable([vietnameseHeader, row(), row({ Tên: "Một tên khác" })], checks);
    expect(problems).toEqual([{ row: 3, column: "id", message: expect.stringContaining("same province, commune and phone as row 2") }]);
  });

  it("reports unknown and missing columns before reading rows", () => {
    const header = vietnameseHeader.filter((name) => name !== "Nguồn").map((name) => (name === "Giờ" ? "Giờ mở cửa" : name));
    const { problems } = readHelpEntryTable([header, row()], checks);
    expect(problems.map((problem) => [problem.row, problem.column, problem.message.split(";")[0]])).toEqual([
      [1, "Giờ mở cửa", "unknown column"],
      [1, "nguồn", "this column is missing"],
    ]);
  });

  it("skips blank rows and counts an empty file as a problem", () => {
    expect(readHelpEntryTable([vietnameseHeader, vietnameseHeader.map(() => ""), row()], checks).entries).toHaveLength(1);
    expect(readHelpEntryTable([], checks).problems).toHaveLength(1);
  });
});
