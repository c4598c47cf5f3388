import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContentCatalog } from "../../src/content/content-catalog.ts";
import { ContentError } from "../../src/content/content-error.ts";
import { loadMediaLibrary, mediaIssues } from "../../src/content/media-library.ts";
import { copyTranslationFixture } from "./translation-fixture.ts";

/** A content folder with the given files under content/media (paths relative to it); bytes are placeholders. */
async function withMedia(files: Record<string, string>): Promise<string> {
  const { contentDir } = await copyTranslationFixture();
  for (const [path, text] of Object.entries(files)) {
    const file = join(contentDir, "media", path);
    await mkdir(join(file, ".."), { recursive: true });
    await writeFile(file, text);
  }
  return contentDir;
}

describe("loadMediaLibrary", () => {
  it("has no voice notes when there is no media folder", async () => {
    const library = await loadMediaLibrary(await mkdtemp(join(tmpdir(), "loa-media-")));
    expect(library.locales).toEqual([]);
    expect(library.voice("hmn", "common:welcome")).toBeUndefined();
  });

  it("maps files to keys, keeping the dots of the key in the file name, with type and size", async () => {
    const contentDir = await withMedia({
      "hmn/topic/checkups.ogg": "OggS fake",
      "hmn/topic/quiz.question.mp3": "ID3",
      "km/common/welcome.m4a": "ftyp",
      "km/common/call.aac": "aac",
      "km/topic/checkups.opus": "opus",
      "README.md": "how to record",
      "hmn/.DS_Store": "",
    });
    const library = await loadMediaLibrary(contentDir);
    expect(library.locales).toEqual(["hmn", "km"]);
    expect(library.keys("hmn")).toEqual(["topic:checkups", "topic:quiz.question"]);
    expect(library.voice("hmn", "topic:checkups")).toEqual({
      locale: "hmn",
      key: "topic:checkups",
      mimeType: "audio/ogg",
      bytes: 9,
      file: "hmn/topic/checkups.ogg",
    });
    expect(library.voice("hmn", "topic:quiz.question")?.mimeType).toBe("audio/mpeg");
    expect(library.voice("km", "common:welcome")?.mimeType).toBe("audio/mp4");
    expect(library.voice("km", "common:call")?.mimeType).toBe("audio/aac");
    expect(library.voice("km", "topic:checkups")?.mimeType).toBe("audio/ogg");
    expect(library.voice("vi", "topic:checkups")).toBeUndefined();
  });

  it("adds recordings listed by URL in urls.yaml", async () => {
    const contentDir = await withMedia({
      "hmn/urls.yaml": "common:welcome: { url: https://media.example.org/hmn/welcome.aac, mimeType: audio/aac }\n",
    });
    const library = await loadMediaLibrary(contentDir);
    expect(library.voice("hmn", "common:welcome")).toEqual({
      locale: "hmn",
      key: "common:welcome",
      mimeType: "audio/aac",
      url: "https://media.example.org/hmn/welcome.aac",
    });
  });

  it("refuses, all at once, an unsupported type, a key recorded twice, a stray file and a bad urls.yaml", async () => {
    const contentDir = await withMedia({
      "hmn/topic/checkups.wav": "RIFF",
      "hmn/topic/quiz.four.ogg": "OggS",
      "hmn/topic/quiz.four.mp3": "ID3",
      "hmn/welcome.ogg": "OggS",
      "km/urls.yaml": "common:welcome: { url: http://media.example.org/welcome.ogg, mimeType: audio/ogg }\n",
      "Hmong/topic/checkups.ogg": "OggS",
    });
    const error = await loadMediaLibrary(contentDir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContentError);
    const problems = error instanceof ContentError ? error.context.problems : undefined;
    expect(problems).toEqual([
      "Hmong: a media folder is named after a locale code, e.g. hmn",
      "hmn/topic/checkups.wav: unsupported voice note type; use .ogg, .opus, .mp3, .m4a, .aac",
      'hmn/topic/quiz.four.ogg: "topic:quiz.four" already has a voice note (hmn/topic/quiz.four.mp3); keep one',
      "hmn/welcome.ogg: only urls.yaml and namespace folders belong in a locale folder",
      expect.stringMatching(/km\/urls\.yaml: common:welcome\.url: a voice note URL is a public https:\/\/ address/),
    ]);
  });
});

describe("mediaIssues", () => {
  it("warns about a voice note for a key vi does not have or a locale that is not registered", async () => {
    const contentDir = await withMedia({
      "hmn/topic/checkups.ogg": "OggS",
      "hmn/topic/renamed.ogg": "OggS",
      "xx/topic/checkups.ogg": "OggS",
    });
    const issues = mediaIssues(await loadMediaLibrary(contentDir), await loadContentCatalog(contentDir));
    expect(issues.map((issue) => [issue.severity, issue.code, issue.locale, issue.key])).toEqual([
      ["warning", "unknown-media-key", "hmn", "topic:renamed"],
      ["warning", "unknown-media-key", "xx", "topic:checkups"],
    ]);
  });
});
