import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DatabaseError } from "../../src/errors.ts";
import type { PlaceRecord } from "../../src/places/place.ts";
import { readPlaceFile } from "../../src/places/place-importer.ts";
import { loadPlaceRecords, placesRevision, replacePlaces, seedShippedPlaces } from "../../src/places/place-store.ts";
import { loadShippedPlaces, type ShippedPlaces } from "../../src/places/shipped-places.ts";
import { writeTableFile } from "../../src/tables/table-file.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

const contentDir = join(import.meta.dirname, "../../content");
const gsoHeader = ["STT", "Mã tỉnh", "Tỉnh / Thành phố", "Mã xã", "Phường Xã", "Cấp", "Tên huyện cũ"];

/** A slice of the office's list as it lays it out: one row per commune and former district. */
const officialRows = [
  gsoHeader,
  ["1", "14", "Tỉnh Sơn La", "03646", "Phường Tô Hiệu", "Phường", "Thành phố Sơn La"],
  ["2", "14", "Tỉnh Sơn La", "03847", "Xã Mường Bú", "Xã", "Huyện Mường La"],
  ["3", "14", "Tỉnh Sơn La", "03847", "Xã Mường Bú", "Xã", "Huyện Mai Sơn"],
  ["4", "20", "Tỉnh Lạng Sơn", "05977", "Phường Đông Kinh", "Phường", "Thành phố Lạng Sơn"],
  ["5", "51", "Tỉnh Quảng Ngãi", "21548", "Đặc khu Lý Sơn", "Đặc khu", "Huyện Lý Sơn"],
  ["6", "51", "Tỉnh Quảng Ngãi", "23293", "Phường Kon Tum", "Phường", ""],
];

/** Stored places written back out in the office's layout, as staff would re-export them. */
function exportRows(records: readonly PlaceRecord[]): string[][] {
  const provinces = new Map(records.filter((place) => place.level === "province").map((place) => [place.code, place]));
  const rows = [gsoHeader];
  for (const commune of records.filter((place) => place.level === "commune")) {
    const province = provinces.get(commune.provinceCode ?? "");
    const provinceName = province === undefined ? "" : `${province.unitType === "tỉnh" ? "Tỉnh" : "Thành phố"} ${province.name}`;
    const unit = commune.unitType.charAt(0).toLocaleUpperCase("vi") + commune.unitType.slice(1);
    for (const district of commune.formerDistricts.length > 0 ? commune.formerDistricts : [""]) {
      rows.push([String(rows.length), commune.provinceCode ?? "", provinceName, commune.code, `${unit} ${commune.name}`, unit, district]);
    }
  }
  return rows;
}

const byCode = (records: readonly PlaceRecord[]) => [...records].sort((a, b) => a.code.localeCompare(b.code));

describe.each(databaseKinds)("place store on %s", (kind) => {
  let test: TestDatabase;
  let shipped: ShippedPlaces;
  let dir: string;
  const shippedRecords = () => [...shipped.provinces, ...shipped.sampleCommunes];

  beforeAll(async () => {
    shipped = await loadShippedPlaces(contentDir);
  });
  beforeEach(async () => {
    test = await createTestDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), "loa-places-"));
  });
  afterEach(async () => {
    await test?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("seeds the shipped places into an empty table only, also when two processes start at once", async () => {
    const db = test.database.client;
    const written = await Promise.all([seedShippedPlaces(db, shippedRecords()), seedShippedPlaces(db, shippedRecords())]);
    expect(written.sort((a, b) => a - b)).toEqual([0, shippedRecords().length]);
    expect(byCode(await loadPlaceRecords(db))).toEqual(byCode(shippedRecords()));
    expect(await seedShippedPlaces(db, shippedRecords())).toBe(0);
    expect(await db.place.count({ where: { sample: true, source: "shipped" } })).toBe(shipped.sampleCommunes.length);
  });

  it.each(["csv", "xlsx"])("imports the office's columns from %s, replaces the sample, and reads back what re-imports the same", async (format) => {
    const db = test.database.client;
    await seedShippedPlaces(db, shippedRecords());
    const file = join(dir, `danh-muc.${format}`);
    await writeTableFile(file, officialRows);
    const known = (await loadPlaceRecords(db)).filter((place) => place.level === "province");
    const imported = await readPlaceFile(file, known);
    const result = await replacePlaces(db, [...imported.provinces, ...imported.communes], basename(file));
    expect(result).toEqual({ written: 3 + 5, sampleRowsRemoved: shipped.sampleCommunes.length });

    const stored = await loadPlaceRecords(db);
    expect(stored.filter((place) => place.sample)).toEqual([]);
    expect(stored.filter((place) => place.level === "province")).toHaveLength(34);
    expect(stored.find((place) => place.code === "51")).toMatchObject({ name: "Quảng Ngãi", formerNames: ["Kon Tum"] });
    expect(stored.filter((place) => place.level === "commune").map((place) => [place.code, place.unitType, place.name, place.provinceCode, place.formerDistricts])).toEqual([
      ["03646", "phường", "Tô Hiệu", "14", ["Thành phố Sơn La"]],
      ["03847", "xã", "Mường Bú", "14", ["Huyện Mường La", "Huyện Mai Sơn"]],
      ["05977", "phường", "Đông Kinh", "20", ["Thành phố Lạng Sơn"]],
      ["21548", "đặc khu", "Lý Sơn", "51", ["Huyện Lý Sơn"]],
      ["23293", "phường", "Kon Tum", "51", []],
    ]);
    expect(await db.place.findUniqueOrThrow({ where: { code: "03847" } })).toMatchObject({ searchName: "muong bu", source: `danh-muc.${format}` });

    const again = join(dir, `xuat-lai.${format}`);
    await writeTableFile(again, exportRows(stored));
    const reimported = await readPlaceFile(again, stored.filter((place) => place.level === "province"));
    expect(byCode([...reimported.provinces, ...reimported.communes])).toEqual(
      byCode(stored.filter((place) => place.level === "commune" || ["14", "20", "51"].includes(place.code))),
    );
    await replacePlaces(db, [...reimported.provinces, ...reimported.communes], basename(again));
    expect(await loadPlaceRecords(db)).toEqual(stored);
  });

  it("keeps stored places a later file does not list, and does not bring the sample back", async () => {
    const db = test.database.client;
    await seedShippedPlaces(db, shippedRecords());
    const sonLa = join(dir, "son-la.csv");
    await writeTableFile(sonLa, officialRows.slice(0, 4));
    await replacePlaces(db, (await readPlaceFile(sonLa, shipped.provinces)).communes, "son-la.csv");
    const langSon = join(dir, "lang-son.csv");
    await writeTableFile(langSon, [gsoHeader, officialRows[4] ?? []]);
    const second = await replacePlaces(db, (await readPlaceFile(langSon, shipped.provinces)).communes, "lang-son.csv");
    expect(second.sampleRowsRemoved).toBe(0);
    expect(await seedShippedPlaces(db, shippedRecords())).toBe(0);
    const communes = (await loadPlaceRecords(db)).filter((place) => place.level === "commune");
    expect(communes.map((place) => place.code)).toEqual(["03646", "03847", "05977"]);
  });

  it("changes its revision on every write, even one that keeps the row count", async () => {
    const db = test.database.client;
    const empty = await placesRevision(db);
    await seedShippedPlaces(db, shippedRecords());
    const seeded = await placesRevision(db);
    expect(await placesRevision(db)).toBe(seeded);
    const province = shipped.provinces[0] as PlaceRecord;
    await replacePlaces(db, [province], "same.csv");
    const rewritten = await placesRevision(db);
    await replacePlaces(db, [province], "same.csv");
    const revisions = [empty, seeded, rewritten, await placesRevision(db)];
    expect(new Set(revisions).size).toBe(4);
  });

  it("writes nothing when any row fails to store", async () => {
    const db = test.database.client;
    await seedShippedPlaces(db, shippedRecords());
    const before = await loadPlaceRecords(db);
    const valid: PlaceRecord = { code: "03847", level: "commune", name: "Mường Bú", unitType: "xã", provinceCode: "14", formerNames: [], formerDistricts: [], sample: false };
    await expect(replacePlaces(db, [valid, valid], "twice.csv")).rejects.toThrow();
    expect(await loadPlaceRecords(db)).toEqual(before);
  });

  it("refuses a stored row whose JSON is damaged, naming the place", async () => {
    const db = test.database.client;
    await seedShippedPlaces(db, shipped.provinces);
    await db.place.update({ where: { code: "14" }, data: { formerDistricts: "Hà Giang" } });
    const error = await loadPlaceRecords(db).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ code: "database:invalid-row", context: { table: "Place", code: "14" } });
  });
});
