import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HelpEntryImportError } from "../../src/directory/help-entry-import.ts";
import { createHelpEntryStore } from "../../src/directory/help-entry-store.ts";
import { loadDirectory } from "../../src/directory/directory-loader.ts";
import { helpEntryHeaderRow } from "../../src/directory/help-entry-columns.ts";
import { createAuditLog } from "../../src/staff/audit-log.ts";
import { createStaffDirectory, type StaffDirectory } from "../../src/staff/staff-directory.ts";
import type { StaffPrincipal } from "../../src/staff/staff-principal.ts";
import { writeCsv } from "../../src/tables/csv.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";
import { shippedPlaceIndex } from "../support/shipped-place-index.ts";

const contentDir = join(import.meta.dirname, "../../content");
const base = { username: "x", displayName: "X", locale: "vi" as const, teamId: null, teamProvinceCode: null, provinces: [], communes: [] };
const admin: StaffPrincipal = { ...base, accountId: "admin", role: "admin" };
const sonLa: StaffPrincipal = { ...base, accountId: "son-la", role: "province", provinces: ["14"] };
const muongBu: StaffPrincipal = { ...base, accountId: "muong-bu", role: "commune", communes: ["14-mau-04"], teamId: "t", teamProvinceCode: "14" };

function row(values: Record<string, string>): string[] {
  const defaults: Record<string, string> = {
    loại: "trusted-address",
    tên: "Địa chỉ tin cậy",
    "điện thoại": "0212 3800 001",
    "mã tỉnh": "14",
    "chủ đề": "violence",
    "ngày xác minh": "2026-10-01",
    nguồn: "Hội LHPN xã, 10/2026",
  };
  const merged = { ...defaults, ...values };
  return helpEntryHeaderRow().map((column) => merged[column] ?? "");
}

describe.each(databaseKinds)("the help directory for staff on %s", (kind) => {
  let test: TestDatabase;
  let directory: StaffDirectory;
  let dir: string;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), "loa-staff-directory-"));
    const now = () => new Date("2026-11-26T03:00:00Z");
    const places = await shippedPlaceIndex();
    directory = createStaffDirectory({
      store: createHelpEntryStore(test.database.client, now),
      nationalEntries: await loadDirectory(join(contentDir, "directory")),
      places: () => places,
      audit: createAuditLog(test.database.client, now),
      now,
      staleMonths: 12,
    });
  });
  afterEach(async () => {
    await test.drop();
  });

  async function csv(name: string, rows: string[][]): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, writeCsv([helpEntryHeaderRow(), ...rows]));
    return file;
  }

  it("lets a commune team import only its own commune, naming the rows outside it, and writes nothing then", async () => {
    const file = await csv("mixed.csv", [
      row({ id: "own", "mã xã": "14-mau-04", tên: "Địa chỉ tin cậy xã Mường Bú" }),
      row({ id: "neighbour", "mã xã": "14-mau-05", tên: "Địa chỉ tin cậy xã Mường La" }),
      row({ id: "province-wide", tên: "Nhà tạm lánh tỉnh" }),
    ]);
    const error = await directory.import(muongBu, file, false).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HelpEntryImportError);
    expect(error instanceof HelpEntryImportError && error.problems.map((problem) => [problem.row, problem.message])).toEqual([
      [3, "outside your area"],
      [4, "outside your area"],
    ]);
    expect(await directory.list(admin)).toHaveLength(4);
    const own = await directory.import(muongBu, await csv("own.csv", [row({ id: "own", "mã xã": "14-mau-04" })]), false);
    expect(own).toMatchObject({ added: 1, written: true });
  });

  it("shows each person her area's entries and the national numbers, editable only within her area", async () => {
    await directory.import(sonLa, await csv("son-la.csv", [row({ id: "own", "mã xã": "14-mau-04" }), row({ id: "neighbour", "mã xã": "14-mau-05" }), row({ id: "shelter" })]), false);
    await directory.import(admin, await csv("lang-son.csv", [row({ id: "lang-son", "mã tỉnh": "20", "mã xã": "20-mau-01", "điện thoại": "0205 3800 001" })]), false);
    const seen = async (who: StaffPrincipal) => (await directory.list(who)).filter((item) => item.entry.origin === "staff").map((item) => `${item.entry.id}${item.canEdit ? "*" : ""}`).sort();
    expect(await seen(admin)).toEqual(["lang-son*", "neighbour*", "own*", "shelter*"]);
    expect(await seen(sonLa)).toEqual(["neighbour*", "own*", "shelter*"]);
    expect(await seen(muongBu)).toEqual(["own*", "shelter"]);
    expect((await directory.list(muongBu)).filter((item) => item.entry.origin === "file").every((item) => !item.canEdit)).toBe(true);
    await expect(directory.get(muongBu, "neighbour")).rejects.toMatchObject({ code: "staff:not-found" });
  });

  it("refuses an import that reuses the id of an entry outside her area", async () => {
    await directory.import(admin, await csv("neighbour.csv", [row({ id: "neighbour", "mã xã": "14-mau-05" })]), false);
    const error = await directory.import(muongBu, await csv("take-over.csv", [row({ id: "neighbour", "mã xã": "14-mau-04" })]), false).catch((caught: unknown) => caught);
    expect(error instanceof HelpEntryImportError && error.problems.map((problem) => problem.message)).toEqual(["id neighbour belongs to an entry outside your area"]);
    expect((await directory.get(admin, "neighbour")).entry.communeCode).toBe("14-mau-05");
  });

  it("saves an edit checked by the import's rules, and audits imports, edits and exports", async () => {
    const bad = await directory.save(muongBu, { loại: "trusted-address", tên: "Tên", "điện thoại": "không có", "mã tỉnh": "14", "mã xã": "14-mau-04", "chủ đề": "violence", "ngày xác minh": "2026-10-01", nguồn: "x" });
    expect("problems" in bad && bad.problems.map((problem) => problem.column)).toEqual(["điện thoại"]);
    const good = await directory.save(muongBu, { id: "own", loại: "trusted-address", tên: "Trạm y tế xã Mường Bú", "điện thoại": "0212 3800 002", "mã tỉnh": "14", "mã xã": "14-mau-04", "chủ đề": "violence", "ngày xác minh": "2026-10-01", nguồn: "x" });
    expect("entry" in good && good.entry.name).toBe("Trạm y tế xã Mường Bú");
    expect(await directory.export(muongBu, join(dir, "out.xlsx"))).toBe(1);
    const actions = (await test.database.client.auditEvent.findMany({ orderBy: { id: "asc" } })).map((event) => `${event.action}:${event.outcome}`);
    expect(actions).toEqual(["directory-edit:ok", "directory-export:ok"]);
  });
});
