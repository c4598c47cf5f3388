import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDirectory } from "../../src/directory/directory-loader.ts";
import { findHelp } from "../../src/directory/help-lookup.ts";

const shippedDir = join(import.meta.dirname, "../../content/directory");
/** Fictional local entries (TEST DATA ONLY), added to the real national numbers. */
const fixtureDir = join(import.meta.dirname, "../fixtures/directory-sample");

async function allEntries() {
  const [national, local] = await Promise.all([loadDirectory(shippedDir), loadDirectory(fixtureDir)]);
  return [...national, ...local];
}

const ids = (entries: readonly { id: string }[]) => entries.map((entry) => entry.id);
const home = { provinceCode: "test-province", communeCode: "test-commune" };

describe("findHelp", () => {
  it("lists commune entries first, then province, then national, whatever the input order", async () => {
    const entries = await allEntries();
    const expected = [
      "test-commune-trusted-address",
      "test-province-shelter",
      "national-111",
      "national-113",
      "national-115",
      "test-national-non-emergency",
    ];
    expect(ids(findHelp(entries, home, "help"))).toEqual(expected);
    expect(ids(findHelp([...entries].reverse(), home, "help"))).toEqual([
      "test-commune-trusted-address",
      "test-province-shelter",
      "test-national-non-emergency",
      "national-115",
      "national-113",
      "national-111",
    ]);
  });

  it("gives locals and only emergency national numbers for the emergency reply and the closing message", async () => {
    const entries = await allEntries();
    const expected = ["test-commune-trusted-address", "test-province-shelter", "national-111", "national-113", "national-115"];
    expect(ids(findHelp(entries, home, "emergency"))).toEqual(expected);
    expect(ids(findHelp(entries, home, "closing"))).toEqual(expected);
  });

  it("skips the commune level when only the province is known, and never shows another commune", async () => {
    const entries = await allEntries();
    const result = ids(findHelp(entries, { provinceCode: "test-province", communeCode: null }, "emergency"));
    expect(result).toEqual(["test-province-shelter", "national-111", "national-113", "national-115"]);
    expect(result).not.toContain("test-other-commune");
  });

  it("gives the national numbers when the place is unknown", async () => {
    const entries = await allEntries();
    expect(ids(findHelp(entries, { provinceCode: null, communeCode: null }, "emergency"))).toEqual([
      "national-111",
      "national-113",
      "national-115",
    ]);
  });
});
