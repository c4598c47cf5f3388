import { describe, expect, it } from "vitest";
import { createMessageRenderer } from "../../src/content/message-renderer.ts";
import type { DirectoryEntry } from "../../src/directory/directory-entry.ts";
import { emptyContact } from "../../src/engine/contact-snapshot.ts";
import { loadShippedAssets } from "../support/pipeline-harness.ts";

describe("message renderer", () => {
  it("renders content keys in the contact's locale and falls back to Vietnamese before a language is chosen", async () => {
    const { renderer, catalog } = await loadShippedAssets();
    const en = renderer.render({ keys: ["common:welcome"] }, { ...emptyContact, locale: "en" });
    const vi = renderer.render({ keys: ["common:welcome"] }, emptyContact);
    expect(en.message).toMatchObject({ locale: "en", text: catalog.render("common:welcome", "en").text, contentKeys: ["common:welcome"] });
    expect(vi.message.locale).toBe("vi");
    expect(en.message.text).not.toBe(vi.message.text);
  });

  it("puts the national numbers in an emergency reply, saying which are free and open 24/7", async () => {
    const { renderer, catalog } = await loadShippedAssets();
    const { message } = renderer.render({ keys: ["common:emergency.reply"], help: "emergency" }, emptyContact);
    for (const phone of ["111", "113", "115"]) expect(message.text).toContain(phone);
    expect(message.text).toContain(catalog.render("directory:help.free", "vi").text);
    expect(message.text).toContain(catalog.render("directory:help.open_24_7", "vi").text);
  });

  it("lists a local trusted address first when the person's commune has one", async () => {
    const { catalog, directory } = await loadShippedAssets();
    const local: DirectoryEntry = {
      ...(directory[0] as DirectoryEntry),
      id: "test-local",
      kind: "trusted-address",
      scope: "commune",
      provinceCode: "son-la",
      communeCode: "test-commune",
      phone: "0000 000 000",
      emergency: true,
    };
    const renderer = createMessageRenderer({ catalog, directory: [...directory, local], defaultLocale: "vi", now: () => new Date("2026-11-26T00:00:00Z") });
    const here = renderer.render({ keys: ["common:emergency.reply"], help: "emergency" }, { ...emptyContact, provinceCode: "son-la", communeCode: "test-commune" });
    expect(here.message.text.indexOf("0000 000 000")).toBeLessThan(here.message.text.indexOf("111"));
    expect(here.message.text).not.toContain(catalog.render("directory:help.none_local", "vi").text);
    const elsewhere = renderer.render({ keys: ["common:emergency.reply"], help: "emergency" }, { ...emptyContact, provinceCode: "lang-son", communeCode: "other" });
    expect(elsewhere.message.text).not.toContain("0000 000 000");
    expect(elsewhere.message.text).toContain(catalog.render("directory:help.none_local", "vi").text);
  });

  it("reports a key missing in the contact's locale and still says something", async () => {
    const { renderer } = await loadShippedAssets();
    const result = renderer.render({ keys: ["common:no-such-key"] }, { ...emptyContact, locale: "en" });
    expect(result.missingKeys).toEqual(["common:no-such-key"]);
    expect(result.message.text.length).toBeGreaterThan(0);
  });
});
