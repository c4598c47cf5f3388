import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContentError } from "../../src/content/content-error.ts";
import { loadShippedPlaces, provincesFile, sampleCommunesFile } from "../../src/places/shipped-places.ts";

const contentDir = join(import.meta.dirname, "../../content");

/** A copy of the shipped places with one text replaced in one file. */
async function placesWith(file: string, from: string, to: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "loa-places-"));
  await cp(join(contentDir, "places"), join(dir, "places"), { recursive: true });
  const text = await readFile(join(dir, file), "utf8");
  expect(text).toContain(from);
  await writeFile(join(dir, file), text.replace(from, to));
  return dir;
}

describe("shipped places", () => {
  it("has the 34 provinces since 1/7/2025 with unique 2-digit codes, 6 of them centrally-run cities", async () => {
    const { provinces } = await loadShippedPlaces(contentDir);
    expect(provinces).toHaveLength(34);
    expect(new Set(provinces.map((province) => province.code)).size).toBe(34);
    expect(provinces.every((province) => /^\d{2}$/.test(province.code) && province.level === "province" && !province.sample)).toBe(true);
    expect(provinces.filter((province) => province.unitType === "thành phố").map((province) => province.name)).toEqual([
      "Hà Nội",
      "Hải Phòng",
      "Huế",
      "Đà Nẵng",
      "Hồ Chí Minh",
      "Cần Thơ",
    ]);
    expect(provinces.filter((province) => province.unitType === "tỉnh")).toHaveLength(28);
    const codes = provinces.map((province) => province.code);
    expect(codes).toEqual([...codes].sort());
  });

  it("ships a marked sample of 6–10 communes for each seed province, with codes no official list uses", async () => {
    const { sampleCommunes } = await loadShippedPlaces(contentDir);
    for (const province of ["14", "20", "51"]) {
      const count = sampleCommunes.filter((commune) => commune.provinceCode === province).length;
      expect(count, province).toBeGreaterThanOrEqual(6);
      expect(count, province).toBeLessThanOrEqual(10);
    }
    expect(sampleCommunes.every((commune) => commune.sample && commune.level === "commune")).toBe(true);
    expect(sampleCommunes.some((commune) => /^\d{5}$/.test(commune.code))).toBe(false);
    expect(new Set(sampleCommunes.map((commune) => commune.code)).size).toBe(sampleCommunes.length);
    const header = await readFile(join(contentDir, sampleCommunesFile), "utf8");
    expect(header.split("\n")[0]).toContain("SAMPLE for the demo; import the official list before going live");
  });

  it("names the file, the entry and the field of a bad entry", async () => {
    const dir = await placesWith(provincesFile, '{ code: "14", name: Sơn La, unitType: tỉnh', '{ code: "14", name: Sơn La, unitType: huyện');
    const error = await loadShippedPlaces(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContentError);
    expect(String(error)).toMatch(/provinces\.yaml: entry "14": unitType: /);
  });

  it("refuses a sample code that could pass for an official one, or one outside its province", async () => {
    const official = await placesWith(sampleCommunesFile, '"14-mau-04"', '"03847"');
    await expect(loadShippedPlaces(official)).rejects.toThrow(/communes-sample\.yaml: entry "03847": code: a sample commune code/);
    const elsewhere = await placesWith(sampleCommunesFile, '{ code: "14-mau-04", name: Mường Bú, unitType: xã, provinceCode: "14"', '{ code: "14-mau-04", name: Mường Bú, unitType: xã, provinceCode: "20"');
    await expect(loadShippedPlaces(elsewhere)).rejects.toThrow(/entry "14-mau-04": code: the code must start with the commune's provinceCode/);
  });

  it("refuses a sample file that does not say it is a sample, and a code used twice", async () => {
    const unmarked = await placesWith(sampleCommunesFile, "sample: true", "sample: false");
    await expect(loadShippedPlaces(unmarked)).rejects.toThrow(/communes-sample\.yaml: sample: the sample file must say sample: true/);
    const twice = await placesWith(sampleCommunesFile, '"14-mau-05"', '"14-mau-04"');
    await expect(loadShippedPlaces(twice)).rejects.toThrow(/entry "14-mau-04": code already used/);
  });
});
