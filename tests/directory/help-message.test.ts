import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContentCatalog } from "../../src/content/content-catalog.ts";
import type { DirectoryEntry, StaffDirectoryEntry } from "../../src/directory/directory-entry.ts";
import { loadDirectory } from "../../src/directory/directory-loader.ts";
import { findHelp } from "../../src/directory/help-lookup.ts";
import { helpContentKeys, helpLines, type HelpLineOptions } from "../../src/directory/help-message.ts";

const contentDir = join(import.meta.dirname, "../../content");
const now = new Date("2026-11-26T09:00:00+07:00");

/** Writes each content key as a marker, so tests see which keys a line uses and with which values. */
const markers: HelpLineOptions["text"] = (key, params) => `<${key}${params === undefined ? "" : ` ${JSON.stringify(params)}`}>`;

const options = (knowsPlace = false): HelpLineOptions => ({ text: markers, now, staleMonths: 12, knowsPlace });

/** A fictional imported entry (TEST DATA ONLY). */
function staffEntry(overrides: Partial<StaffDirectoryEntry> = {}): StaffDirectoryEntry {
  return {
    origin: "staff",
    id: "test-local",
    kind: "trusted-address",
    name: "Địa chỉ tin cậy xã Thử Nghiệm",
    phone: "0000 000 001",
    address: "Trạm y tế xã Thử Nghiệm.",
    scope: "commune",
    provinceCode: "test-province",
    communeCode: "test-commune",
    hours: "7:00–17:00, thứ Hai–thứ Sáu",
    free: "unknown",
    languages: ["vie", "hmn"],
    topics: ["violence"],
    emergency: true,
    verifiedOn: "2026-03-01",
    source: "Hội LHPN xã, 03/2026",
    ...overrides,
  };
}

async function nationalEntries() {
  return loadDirectory(join(contentDir, "directory"));
}

function lineOf(lines: readonly string[], phone: string): string {
  const line = lines.find((candidate) => candidate.includes(`"phone":"${phone}"`));
  if (line === undefined) throw new Error(`no line for ${phone}`);
  return line;
}

describe("helpLines", () => {
  it("says free and 24/7 only for the numbers a source confirms", async () => {
    const lines = helpLines(await nationalEntries(), options());
    expect(lines).toHaveLength(4);
    const notes = (phone: string) => lineOf(lines, phone).match(/"notes":"([^"]*)"/)?.[1];
    expect(notes("111")).toBe(`(<${helpContentKeys.free}>, <${helpContentKeys.open247}>)`);
    expect(notes("113")).toBe(`(<${helpContentKeys.free}>)`);
    expect(notes("115")).toBe(`(<${helpContentKeys.free}>)`);
    expect(notes("1900 969 680")).toBe(`(<${helpContentKeys.mayCost}>)`);
  });

  it("never calls 1900 969 680 free or open 24/7, and says it may cost money, in every shipped language", async () => {
    const catalog = await loadContentCatalog(contentDir);
    const entries = findHelp(await nationalEntries(), { provinceCode: null, communeCode: null }, "help", now, 12);
    for (const locale of ["vi", "en"]) {
      const text: HelpLineOptions["text"] = (key, params) => catalog.render(key, locale, params).text;
      const line = helpLines(entries, { text, now, staleMonths: 12, knowsPlace: false }).find((candidate) => candidate.includes("1900 969 680"));
      expect(line, locale).toBeDefined();
      expect(line, locale).toContain(catalog.render("directory:national-1900-969-680.name", locale).text);
      expect(line, locale).not.toContain(catalog.render(helpContentKeys.free, locale).text);
      expect(line, locale).not.toContain(catalog.render(helpContentKeys.open247, locale).text);
      expect(line, locale).toContain(catalog.render(helpContentKeys.mayCost, locale).text);
    }
  });

  it("shows a staff entry's own name, hours and address, and no fee note when the fee is not known", () => {
    const [line] = helpLines([staffEntry()], options(true));
    expect(line).toBe(
      `<${helpContentKeys.entry} {"name":"Địa chỉ tin cậy xã Thử Nghiệm","phone":"0000 000 001","notes":""}> ` +
        `<${helpContentKeys.hours} {"hours":"7:00–17:00, thứ Hai–thứ Sáu"}> ` +
        `<${helpContentKeys.address} {"address":"Trạm y tế xã Thử Nghiệm"}>`,
    );
  });

  it("says free and 24/7 for a staff entry only when staff marked it so", () => {
    const lines = helpLines(
      [staffEntry({ free: true, hours: "24/7", phone: "0000 000 002" }), staffEntry({ free: false, hours: "unknown", phone: "0000 000 003" })],
      options(true),
    );
    expect(lineOf(lines, "0000 000 002")).toContain(`"notes":"(<${helpContentKeys.free}>, <${helpContentKeys.open247}>)"`);
    expect(lineOf(lines, "0000 000 003")).toContain(`"notes":""`);
    expect(lineOf(lines, "0000 000 003")).not.toContain(helpContentKeys.hours);
  });

  it("gives the month a stale entry was last checked, and nothing for a fresh one", () => {
    const lines = helpLines(
      [staffEntry({ verifiedOn: "2024-03-15", phone: "0000 000 004" }), staffEntry({ verifiedOn: "2025-11-26", phone: "0000 000 005" })],
      options(true),
    );
    expect(lineOf(lines, "0000 000 004")).toContain(`(<${helpContentKeys.checked} {\\"month\\":\\"03/2024\\"}>)`);
    expect(lineOf(lines, "0000 000 005")).not.toContain(helpContentKeys.checked);
  });

  it("says there is no local address yet only when her place is known and none is listed", async () => {
    const national: DirectoryEntry[] = await nationalEntries();
    const noneLocal = `<${helpContentKeys.noneLocal}>`;
    expect(helpLines(national, options(true))[0]).toBe(noneLocal);
    expect(helpLines(national, options(false))).not.toContain(noneLocal);
    expect(helpLines([staffEntry(), ...national], options(true))).not.toContain(noneLocal);
  });

  it("renders in real content with every key present", async () => {
    const catalog = await loadContentCatalog(contentDir);
    const missing: string[] = [];
    const text: HelpLineOptions["text"] = (key, params) => {
      const rendered = catalog.render(key, "vi", params);
      if (rendered.missing) missing.push(key);
      return rendered.text;
    };
    const [line] = helpLines([staffEntry({ verifiedOn: "2024-03-15", free: true })], { text, now, staleMonths: 12, knowsPlace: true });
    expect(missing).toEqual([]);
    expect(line).toContain("Địa chỉ tin cậy xã Thử Nghiệm: 0000 000 001");
    expect(line).toContain("03/2024");
    expect(line).toContain("Trạm y tế xã Thử Nghiệm");
    expect(line).not.toContain("..");
  });
});
