import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runPlacesCommand } from "../../src/cli/places-command.ts";
import { loadPlaceRecords } from "../../src/places/place-store.ts";
import { writeTableFile } from "../../src/tables/table-file.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

const contentDir = join(import.meta.dirname, "../../content");
const header = ["Mã tỉnh", "Tên tỉnh", "Mã xã", "Tên xã", "Cấp", "Tên huyện cũ"];

describe.each(databaseKinds)("loa places on %s", (kind) => {
  let test: TestDatabase;
  let dir: string;
  let lines: string[];
  const run = (...args: string[]) => runPlacesCommand({ database: test.database, contentDir, args, write: (line) => lines.push(line) });

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), "loa-places-cli-"));
    lines = [];
  });
  afterEach(async () => {
    await test?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists the shipped provinces and a province's sample communes", async () => {
    expect(await run("list")).toBe(0);
    expect(lines).toHaveLength(35);
    expect(lines).toContain("14  tỉnh Sơn La: 10 communes (10 sample)");
    expect(lines).toContain("51  tỉnh Quảng Ngãi: 10 communes (10 sample); formerly also Kon Tum");
    expect(lines.at(-1)).toBe("34 provinces");
    lines = [];
    expect(await run("list", "--province", "14")).toBe(0);
    expect(lines).toContain("14-mau-04  xã Mường Bú [sample]; formerly in huyện Mường La");
    expect(lines.at(-1)).toBe("sample communes are for the demo: import the official list before going live");
  });

  it("imports a file after a dry run that writes nothing", async () => {
    const file = join(dir, "danh-muc.xlsx");
    await writeTableFile(file, [
      header,
      ["14", "Tỉnh Sơn La", "03847", "Xã Mường Bú", "Xã", "Huyện Mường La"],
      ["14", "Tỉnh Sơn La", "03646", "Phường Tô Hiệu", "Phường", ""],
    ]);
    expect(await run("import", file, "--dry-run")).toBe(0);
    expect(lines).toEqual([`${file}: 1 province, 2 communes (1 with former districts)`, "dry run: nothing written; 30 sample rows would be removed"]);
    expect((await loadPlaceRecords(test.database.client)).filter((place) => place.sample)).toHaveLength(30);
    lines = [];
    expect(await run("import", file)).toBe(0);
    expect(lines.at(-1)).toBe("imported 3 places; 30 sample rows removed");
    const communes = (await loadPlaceRecords(test.database.client)).filter((place) => place.level === "commune");
    expect(communes.map((place) => place.code)).toEqual(["03646", "03847"]);
  });

  it("prints every row error, exits 1 and writes nothing", async () => {
    const file = join(dir, "sai.csv");
    await writeTableFile(file, [header, ["14", "Tỉnh Sơn La", "", "Xã Mường Bú", "Xã", ""], ["14", "Tỉnh Sơn La", "03646", "Phường Tô Hiệu", "Huyện", ""]]);
    expect(await run("import", file)).toBe(1);
    expect(lines).toEqual([
      'row 2, column "Mã xã": missing code',
      expect.stringMatching(/^row 3, column "Cấp": unknown level "Huyện"/),
      `2 error(s) in ${file}: nothing was imported`,
    ]);
    expect((await loadPlaceRecords(test.database.client)).filter((place) => place.sample)).toHaveLength(30);
  });

  it("reports an unreadable file, an unknown province and a wrong command line", async () => {
    expect(await run("import", join(dir, "missing.xlsx"))).toBe(1);
    expect(lines.at(-1)).toMatch(/^error: .*missing\.xlsx: the file is damaged or not a spreadsheet$/);
    expect(await run("list", "--province", "99")).toBe(1);
    expect(lines.at(-1)).toBe("error: no province has code 99 (npm run loa -- places list shows the codes)");
    for (const args of [[], ["import"], ["import", "a.csv", "b.csv"], ["list", "--province"], ["remove"]]) {
      expect(await run(...args), args.join(" ")).toBe(2);
    }
    expect(lines.at(-1)).toBe("usage: loa places import <file.csv|file.xlsx> [--dry-run] | list [--province <code>]");
  });
});
