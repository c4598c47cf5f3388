import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignCalendarFile, loadCampaignCalendar } from "../../src/campaigns/campaign-calendar.ts";
import { loadContentCatalog } from "../../src/content/content-catalog.ts";

const contentDir = fileURLToPath(new URL("../../content/", import.meta.url));

describe("the campaign calendar", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "loa-calendar-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });
  const write = async (name: string, text: string) => {
    const file = join(folder, name);
    await writeFile(file, text);
    return file;
  };

  it("ships the programme's campaign months and days with their dates", async () => {
    const calendar = await loadCampaignCalendar(campaignCalendarFile(contentDir));
    const byId = new Map(calendar.map((template) => [template.id, template]));
    expect(byId.get("action-month-children")).toMatchObject({ from: { day: 1, month: 6 }, to: { day: 30, month: 6 } });
    expect(byId.get("domestic-violence-action-month")).toMatchObject({ from: { day: 1, month: 6 }, to: { day: 30, month: 6 } });
    expect(byId.get("vietnamese-family-day")).toMatchObject({ from: { day: 28, month: 6 }, to: { day: 28, month: 6 } });
    expect(byId.get("international-day-of-the-girl")).toMatchObject({ from: { day: 11, month: 10 } });
    expect(byId.get("gender-equality-action-month")).toMatchObject({ from: { day: 15, month: 11 }, to: { day: 15, month: 12 } });
    expect(byId.get("elimination-of-violence-against-women")).toMatchObject({ from: { day: 25, month: 11 } });
    for (const template of calendar) expect(template.sources.length).toBeGreaterThan(0);
  });

  it("suggests only content keys that exist in Vietnamese and English", async () => {
    const catalog = await loadContentCatalog(contentDir);
    const calendar = await loadCampaignCalendar(join(contentDir, "campaign-calendar.yaml"));
    const missing = calendar.flatMap((template) => template.keys.flatMap((key) => ["vi", "en"].filter((locale) => !catalog.hasKey(locale, key)).map((locale) => `${template.id}: ${key} (${locale})`)));
    expect(missing).toEqual([]);
  });

  it("names the file, the entry and the field when an entry is wrong", async () => {
    const file = await write(
      "wrong-day.yaml",
      `templates:\n  girls-day:\n    name: { vi: Ngày, en: Day }\n    from: "31/04"\n    to: "11/10"\n    keys: [child-marriage:intro]\n    sources: [{ url: "https://example.org", note: x }]\n`,
    );
    await expect(loadCampaignCalendar(file)).rejects.toThrow(/wrong-day\.yaml: templates\.girls-day\.from: 31\/04 is not a day of the year/);
    const badKey = await write(
      "bad-key.yaml",
      `templates:\n  law-day:\n    name: { vi: Ngày, en: Day }\n    from: "09/11"\n    to: "09/11"\n    keys: [not a key]\n    sources: [{ url: "https://example.org", note: x }]\n`,
    );
    await expect(loadCampaignCalendar(badKey)).rejects.toThrow(/bad-key\.yaml: templates\.law-day\.keys\.0/);
    const unsourced = await write("unsourced.yaml", `templates:\n  law-day:\n    name: { vi: Ngày, en: Day }\n    from: "09/11"\n    to: "09/11"\n    keys: [violence:intro]\n    sources: []\n`);
    await expect(loadCampaignCalendar(unsourced)).rejects.toThrow(/templates\.law-day\.sources/);
  });
});
