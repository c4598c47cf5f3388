import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DirectoryEntry, StaffDirectoryEntry } from "../../src/directory/directory-entry.ts";
import { loadDirectory } from "../../src/directory/directory-loader.ts";
import { findHelp } from "../../src/directory/help-lookup.ts";

const shippedDir = join(import.meta.dirname, "../../content/directory");
/** Fictional local entries (TEST DATA ONLY), added to the real national numbers. */
const fixtureDir = join(import.meta.dirname, "../fixtures/directory-sample");

async function allEntries() {
  const [national, local] = await Promise.all([loadDirectory(shippedDir), loadDirectory(fixtureDir)]);
  return [...national, ...local];
}

/** A fictional imported entry (TEST DATA ONLY). */
function staffEntry(id: string, place: { provinceCode: string; communeCode?: string }, verifiedOn = "2026-06-01"): StaffDirectoryEntry {
  return {
    origin: "staff",
    id,
    kind: "trusted-address",
    name: `Địa chỉ tin cậy ${id}`,
    phone: "0000 000 009",
    scope: place.communeCode === undefined ? "province" : "commune",
    ...place,
    hours: "unknown",
    free: "unknown",
    languages: ["vie"],
    topics: ["violence"],
    emergency: false,
    verifiedOn,
    source: "Hội LHPN xã, 06/2026",
  };
}

const ids = (entries: readonly { id: string }[]) => entries.map((entry) => entry.id);
const home = { provinceCode: "test-province", communeCode: "test-commune" };
const now = new Date("2026-11-26T05:00:00Z");
const months = 12;

describe("findHelp", () => {
  it("lists commune entries first, then province, then national, whatever the input order", async () => {
    const entries = await allEntries();
    const expected = [
      "test-commune-trusted-address",
      "test-province-shelter",
      "national-111",
      "national-113",
      "national-115",
      "national-1900-969-680",
      "test-national-non-emergency",
    ];
    expect(ids(findHelp(entries, home, "help", now, months))).toEqual(expected);
    expect(ids(findHelp([...entries].reverse(), home, "help", now, months))).toEqual([
      "test-commune-trusted-address",
      "test-province-shelter",
      "test-national-non-emergency",
      "national-1900-969-680",
      "national-115",
      "national-113",
      "national-111",
    ]);
  });

  it("puts imported entries of her commune and province before the national numbers", async () => {
    const national = await loadDirectory(shippedDir);
    const entries: DirectoryEntry[] = [
      ...national,
      staffEntry("test-staff-province", { provinceCode: "test-province" }),
      staffEntry("test-staff-commune", { provinceCode: "test-province", communeCode: "test-commune" }),
      staffEntry("test-staff-elsewhere", { provinceCode: "test-other-province", communeCode: "test-other-commune" }),
    ];
    expect(ids(findHelp(entries, home, "emergency", now, months))).toEqual([
      "test-staff-commune",
      "test-staff-province",
      "national-111",
      "national-113",
      "national-115",
    ]);
  });

  it("gives locals and only emergency national numbers for the emergency reply and the closing message", async () => {
    const entries = await allEntries();
    const expected = ["test-commune-trusted-address", "test-province-shelter", "national-111", "national-113", "national-115"];
    expect(ids(findHelp(entries, home, "emergency", now, months))).toEqual(expected);
    expect(ids(findHelp(entries, home, "closing", now, months))).toEqual(expected);
  });

  it("skips the commune level when only the province is known, and never shows another commune", async () => {
    const entries = await allEntries();
    const result = ids(findHelp(entries, { provinceCode: "test-province", communeCode: null }, "emergency", now, months));
    expect(result).toEqual(["test-province-shelter", "national-111", "national-113", "national-115"]);
    expect(result).not.toContain("test-other-commune");
  });

  it("gives the national numbers when the place is unknown", async () => {
    const entries = await allEntries();
    expect(ids(findHelp(entries, { provinceCode: null, communeCode: null }, "emergency", now, months))).toEqual([
      "national-111",
      "national-113",
      "national-115",
    ]);
  });

  it("keeps an entry verified too long ago, flagged stale", () => {
    const entries = [
      staffEntry("test-old", { provinceCode: "test-province", communeCode: "test-commune" }, "2025-11-25"),
      staffEntry("test-exactly-a-year", { provinceCode: "test-province" }, "2025-11-26"),
    ];
    const found = findHelp(entries, home, "emergency", now, months);
    expect(found.map((entry) => [entry.id, entry.stale])).toEqual([
      ["test-old", true],
      ["test-exactly-a-year", false],
    ]);
  });
});
