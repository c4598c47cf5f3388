import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { z } from "zod";
import { contentKeySchema } from "../engine/flow-schema.ts";
import type { ContentCatalog } from "./content-catalog.ts";
import { ContentError } from "./content-error.ts";
import type { ContentIssue } from "./content-lint.ts";
import { readYamlFile } from "./data-file.ts";
import { rootLocale } from "./locale-registry.ts";

/**
 * Voice notes: many women the bot serves cannot read Vietnamese well, or read no script at all, so a
 * message can come with a recording of the same words in her language. A voice note belongs to one content
 * key in one locale and is either a file in `content/media/<locale>/<namespace>/<key>.<ext>` (key dots kept, e.g.
 * `content/media/hmn/safe-birth/danger.ogg`) or a public URL listed in `content/media/<locale>/urls.yaml`.
 */

/** One recording of one key in one locale. `file` is relative to `content/media`, with `/` separators. */
export type VoiceNote = { locale: string; key: string; mimeType: string; bytes?: number; file?: string; url?: string };

/** Every voice note, found by locale and key; the renderer attaches them, coverage counts them. */
export type MediaLibrary = {
  /** The voice note of `key` in `locale`, if one was recorded. */
  voice(locale: string, key: string): VoiceNote | undefined;
  /** Keys of `locale` that have a voice note, sorted. */
  keys(locale: string): string[];
  /** Locales that have at least one voice note, sorted. */
  locales: string[];
};

/**
 * File extensions accepted for voice notes and the type each is sent as. `.opus` files are Opus in an OGG
 * container, which Telegram plays as a voice message; Zalo Bot takes AAC.
 */
export const voiceNoteTypes: Readonly<Record<string, string>> = {
  ".ogg": "audio/ogg",
  ".opus": "audio/ogg",
  ".mp3": "audio/mpeg",
  ".m4a": "audio/mp4",
  ".aac": "audio/aac",
};

const voiceMimeTypes = [...new Set(Object.values(voiceNoteTypes))];

/** `content/media/<locale>/urls.yaml`: key → where the recording is published and its type. */
export const mediaUrlsSchema = z.record(
  contentKeySchema,
  z
    .object({
      url: z.url({ protocol: /^https$/, error: "a voice note URL is a public https:// address" }),
      mimeType: z.enum(voiceMimeTypes, { error: `a voice note type is one of ${voiceMimeTypes.join(", ")}` }),
    })
    .strict(),
);

const mediaFolder = "media";
const urlsFile = "urls.yaml";
const localeFolder = /^[a-z]{2,3}$/;
const namespaceFolder = /^[a-z][a-z0-9-]*$/;

type Entry = { name: string; isDirectory: boolean };

async function listFolder(dir: string): Promise<Entry[] | undefined> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => !entry.name.startsWith("."))
      .map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (cause) {
    if (cause instanceof Error && "code" in cause && cause.code === "ENOENT") return undefined;
    throw new ContentError(`cannot list ${dir}`, "content:file-unreadable", { cause, context: { dir } });
  }
}

async function loadLocaleMedia(mediaDir: string, locale: string, problems: string[]): Promise<Map<string, VoiceNote>> {
  const notes = new Map<string, VoiceNote>();
  const add = (note: VoiceNote, where: string) => {
    const earlier = notes.get(note.key);
    if (earlier !== undefined) {
      problems.push(`${where}: "${note.key}" already has a voice note (${earlier.file ?? earlier.url ?? ""}); keep one`);
      return;
    }
    notes.set(note.key, note);
  };
  let hasUrls = false;
  for (const entry of (await listFolder(join(mediaDir, locale))) ?? []) {
    const where = `${locale}/${entry.name}`;
    if (!entry.isDirectory) {
      if (entry.name === urlsFile) hasUrls = true;
      else problems.push(`${where}: only ${urlsFile} and namespace folders belong in a locale folder`);
      continue;
    }
    if (!namespaceFolder.test(entry.name)) {
      problems.push(`${where}: a namespace folder uses lower-case letters, digits and '-'`);
      continue;
    }
    for (const file of (await listFolder(join(mediaDir, locale, entry.name))) ?? []) {
      const path = `${locale}/${entry.name}/${file.name}`;
      const extension = extname(file.name).toLowerCase();
      const mimeType = voiceNoteTypes[extension];
      const key = `${entry.name}:${file.name.slice(0, file.name.length - extension.length)}`;
      if (file.isDirectory) problems.push(`${path}: a namespace folder holds only files named <key>.<ext>`);
      else if (mimeType === undefined) {
        problems.push(`${path}: unsupported voice note type; use ${Object.keys(voiceNoteTypes).join(", ")}`);
      } else if (!contentKeySchema.safeParse(key).success) problems.push(`${path}: "${key}" is not a content key`);
      else {
        const { size } = await stat(join(mediaDir, path));
        add({ locale, key, mimeType, bytes: size, file: path }, path);
      }
    }
  }
  if (!hasUrls) return notes;
  let listed: z.infer<typeof mediaUrlsSchema> = {};
  try {
    listed = (await readYamlFile(join(mediaDir, locale, urlsFile), mediaUrlsSchema.nullable())) ?? {};
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    problems.push(error.message);
  }
  for (const [key, { url, mimeType }] of Object.entries(listed)) add({ locale, key, mimeType, url }, `${locale}/${urlsFile}`);
  return notes;
}

/**
 * Loads every voice note under `<contentDir>/media`. Throws one ContentError listing every file that cannot
 * be used (unsupported type, misplaced file, a key recorded twice, a bad urls.yaml), so a broken recording
 * stops the check instead of silently never playing. No media folder means no voice notes.
 */
export async function loadMediaLibrary(contentDir: string): Promise<MediaLibrary> {
  const mediaDir = join(contentDir, mediaFolder);
  const problems: string[] = [];
  const byLocale = new Map<string, Map<string, VoiceNote>>();
  for (const entry of (await listFolder(mediaDir)) ?? []) {
    if (!entry.isDirectory) continue;
    if (!localeFolder.test(entry.name)) {
      problems.push(`${entry.name}: a media folder is named after a locale code, e.g. hmn`);
      continue;
    }
    const notes = await loadLocaleMedia(mediaDir, entry.name, problems);
    if (notes.size > 0) byLocale.set(entry.name, notes);
  }
  if (problems.length > 0) {
    throw new ContentError(`${mediaDir}: ${problems.join("; ")}`, "content:media-invalid", { context: { dir: mediaDir, problems } });
  }
  return {
    voice: (locale, key) => byLocale.get(locale)?.get(key),
    keys: (locale) => [...(byLocale.get(locale)?.keys() ?? [])].sort(),
    locales: [...byLocale.keys()].sort(),
  };
}

/**
 * Lint: a voice note for a key that no Vietnamese text has, or in a locale that is not registered, is never
 * played; a warning, since it is usually a renamed key or a typo in the file name.
 */
export function mediaIssues(library: MediaLibrary, catalog: ContentCatalog): ContentIssue[] {
  const issues: ContentIssue[] = [];
  for (const locale of library.locales) {
    const registered = catalog.locales.includes(locale);
    for (const key of library.keys(locale)) {
      if (registered && catalog.hasKey(rootLocale, key)) continue;
      issues.push({
        severity: "warning",
        code: "unknown-media-key",
        locale,
        key,
        message: registered
          ? `voice note for "${key}" in ${locale}: no such key in ${rootLocale}, so it is never played`
          : `voice note for "${key}": ${locale} is not a registered locale, so it is never played`,
      });
    }
  }
  return issues;
}
