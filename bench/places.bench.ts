// npm run bench:places: how fast the place question and the official-list import are at national size.
// Builds the index over the 34 shipped provinces and 3,321 synthetic communes (the number since 1/7/2025),
// times matching of typed commune names (exact, without accents, with one typo), then writes the list as an
// XLSX file in the statistics office's layout and times reading it and storing it on SQLite and PostgreSQL.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createPlaceIndex, type PlaceRecord } from "../src/places/place-index.ts";
import { readPlaceFile } from "../src/places/place-importer.ts";
import { replacePlaces, seedShippedPlaces } from "../src/places/place-store.ts";
import { loadShippedPlaces } from "../src/places/shipped-places.ts";
import { createDatabase } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";
import { writeTableFile } from "../src/tables/table-file.ts";
import { throwawayDatabase } from "./throwaway-database.ts";

const root = join(import.meta.dirname, "..");
const communeCount = 3_321;
const syllables = ["Mường", "Chiềng", "Nậm", "Pá", "Tà", "Sơn", "Hồng", "Bản", "Phìn", "Lũng", "Xuân", "Tân", "Hòa", "Kim", "Đồng", "Thái", "Ngọc", "Bình", "Khánh", "Lộc", "Hữu", "Tây", "Yên", "Vân"];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function withoutAccents(text: string): string {
  return text.normalize("NFD").replace(/\p{Mn}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");
}

function withTypo(text: string, seed: number): string {
  const at = 1 + (seed % Math.max(1, text.length - 2));
  return text.slice(0, at) + text.slice(at + 1);
}

const shipped = await loadShippedPlaces(join(root, "content"));
const provinces = shipped.provinces;
const communes: PlaceRecord[] = [];
const seen = new Set<string>();
for (let i = 0; communes.length < communeCount; i += 1) {
  const province = provinces[i % provinces.length] as PlaceRecord;
  const name = `${syllables[i % syllables.length]} ${syllables[Math.floor(i / syllables.length) % syllables.length]}${i >= syllables.length ** 2 ? ` ${i}` : ""}`;
  if (seen.has(`${province.code}/${name}`)) continue;
  seen.add(`${province.code}/${name}`);
  const code = String(10_000 + i).padStart(5, "0");
  communes.push({ code, level: "commune", name, unitType: i % 7 === 0 ? "phường" : "xã", provinceCode: province.code, formerNames: [], formerDistricts: [], sample: false });
}

const built = performance.now();
const index = createPlaceIndex([...provinces, ...communes]);
const buildMs = performance.now() - built;

const kinds = { exact: (name: string) => name, "no accents": (name: string) => withoutAccents(name).toLowerCase(), "one typo": (name: string, i: number) => withTypo(withoutAccents(name), i) };
process.stdout.write(`places: ${provinces.length} provinces, ${communes.length} communes; index built in ${buildMs.toFixed(1)} ms\n`);
for (const [kind, typed] of Object.entries(kinds)) {
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < 10_000; i += 1) {
    const commune = communes[(i * 7919) % communes.length] as PlaceRecord;
    const text = typed(`xã ${commune.name}`, i);
    const start = performance.now();
    const matches = index.matchCommune(commune.provinceCode ?? "", text);
    times.push((performance.now() - start) * 1000);
    if (matches.some((match) => match.place.code === commune.code)) found += 1;
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`  match (${kind}): p50 ${percentile(times, 50).toFixed(1)} µs, p95 ${percentile(times, 95).toFixed(1)} µs, right commune among matches ${((found / 10_000) * 100).toFixed(1)}%\n`);
}

const dir = await mkdtemp(join(tmpdir(), "loa-bench-places-"));
try {
  const file = join(dir, "danh-muc.xlsx");
  const provinceName = new Map(provinces.map((province) => [province.code, province.name]));
  const rows = [["Mã tỉnh", "Tên tỉnh", "Mã xã", "Tên xã", "Cấp"]];
  for (const commune of communes) {
    rows.push([commune.provinceCode ?? "", provinceName.get(commune.provinceCode ?? "") ?? "", commune.code, `${commune.unitType === "phường" ? "Phường" : "Xã"} ${commune.name}`, commune.unitType === "phường" ? "Phường" : "Xã"]);
  }
  await writeTableFile(file, rows);
  const read = performance.now();
  const imported = await readPlaceFile(file, provinces);
  const readMs = performance.now() - read;
  process.stdout.write(`import: ${rows.length - 1} rows read and checked from XLSX in ${readMs.toFixed(0)} ms (${imported.communes.length} communes)\n`);
  for (const kind of ["sqlite", "postgres"] as const) {
    const scratch = await throwawayDatabase(kind, "places");
    try {
      await migrateDatabase({ url: scratch.url, projectRoot: root });
      const database = await createDatabase({ url: scratch.url, poolSize: 4 });
      try {
        await seedShippedPlaces(database.client, [...shipped.provinces, ...shipped.sampleCommunes]);
        const write = performance.now();
        const result = await replacePlaces(database.client, [...imported.provinces, ...imported.communes], "bench.xlsx");
        process.stdout.write(`  store on ${kind}: ${result.written} rows in ${(performance.now() - write).toFixed(0)} ms, ${result.sampleRowsRemoved} sample rows removed\n`);
      } finally {
        await database.close();
      }
    } finally {
      await scratch.dispose();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
