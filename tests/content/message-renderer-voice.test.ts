import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContentCatalog } from "../../src/content/content-catalog.ts";
import { loadMediaLibrary } from "../../src/content/media-library.ts";
import { createMessageRenderer } from "../../src/content/message-renderer.ts";
import { emptyContact } from "../../src/engine/contact-snapshot.ts";

const dir = join(import.meta.dirname, "../fixtures/content-voice");

async function renderer(publicUrl: string | undefined) {
  const [catalog, media] = await Promise.all([loadContentCatalog(dir), loadMediaLibrary(dir)]);
  return createMessageRenderer({
    catalog,
    directory: [],
    defaultLocale: "vi",
    now: () => new Date("2026-11-26T00:00:00Z"),
    media,
    mediaUrl: (note) => (publicUrl === undefined || note.file === undefined ? undefined : `${publicUrl}/media/${note.file}`),
  });
}

const hmn = { ...emptyContact, locale: "hmn" };

describe("voice notes and text in another language", () => {
  it("sends the voice note of a key in her language before its text", async () => {
    const { message, fellBack } = (await renderer("https://loa.example")).render({ keys: ["common:welcome"] }, hmn);
    expect(fellBack).toBe(false);
    expect(message.text).toBe("Nyob zoo");
    expect(message.media).toEqual([{ kind: "voice", url: "https://loa.example/media/hmn/common/welcome.ogg", mimeType: "audio/ogg", bytes: 20 }]);
  });

  it("says aloud that the written part is in Vietnamese when her language has only the voice note", async () => {
    const { message, fellBack } = (await renderer("https://loa.example")).render({ keys: ["common:danger"] }, hmn);
    expect(fellBack).toBe(true);
    expect(message.text).toBe("Phần này bằng tiếng Việt.\n\nĐi trạm y tế ngay");
    expect(message.media?.map((item) => item.url)).toEqual([
      "https://loa.example/media/hmn/common/fallback.notice.ogg",
      "https://loa.example/media/hmn/common/danger.ogg",
    ]);
  });

  it("says the notice once per turn when asked not to repeat it", async () => {
    const { message } = (await renderer("https://loa.example")).render({ keys: ["common:danger"] }, hmn, undefined, { announceFallback: false });
    expect(message.text).toBe("Đi trạm y tế ngay");
    expect(message.media?.map((item) => item.url)).toEqual(["https://loa.example/media/hmn/common/danger.ogg"]);
  });

  it("sends no voice note a platform could not fetch, and none to a locale without recordings", async () => {
    const offline = (await renderer(undefined)).render({ keys: ["common:welcome"] }, hmn);
    expect(offline.message.media).toBeUndefined();
    const english = (await renderer("https://loa.example")).render({ keys: ["common:welcome"] }, { ...emptyContact, locale: "en" });
    expect(english.message.media).toBeUndefined();
    expect(english.fellBack).toBe(false);
  });
});
