import { createHash } from "node:crypto";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { Document } from "yaml";
import { z } from "zod";
import { contentKeySchema } from "../engine/flow-schema.ts";
import type { ContentValue } from "./content-catalog.ts";
import { ContentError } from "./content-error.ts";
import { readYamlFile } from "./data-file.ts";

/**
 * Per-key review records of translations, one file per locale: `content/reviews/<locale>.yaml`. A record
 * says who reviewed which translation of which Vietnamese text, so a translation whose Vietnamese source
 * changed afterwards shows as outdated instead of silently staying "reviewed". docs/translation.md
 * describes the file for reviewers.
 */

const textHashSchema = z.string().regex(/^[0-9a-f]{16}$/, "a text hash is 16 hex digits, as `loa content import` writes it");

/**
 * A human speaker's review of one translation. `origin` says how the reviewed text was made: written by a
 * person (`human`), or a machine draft a person checked and corrected (`machine-assisted`). Both are human
 * reviews; the origin is kept so the share of machine-assisted text can be reported.
 */
export const reviewRecordSchema = z
  .object({
    origin: z.enum(["human", "machine-assisted"]),
    reviewer: z.string().trim().min(1).describe("the speaker who reviewed the translation"),
    on: z.iso.date().describe("YYYY-MM-DD, the day of the review"),
    sourceHash: textHashSchema.describe("hash of the Vietnamese text the translation was reviewed against"),
    textHash: textHashSchema.describe("hash of the translation that was reviewed"),
  })
  .strict();
export type ReviewRecord = z.infer<typeof reviewRecordSchema>;

/**
 * A machine-made translation imported as draft text. It is never a review; it is kept so that when a
 * person later approves that text, the review is recorded as `machine-assisted`, not `human`.
 */
export const machineDraftRecordSchema = z
  .object({
    origin: z.literal("machine"),
    on: z.iso.date().describe("YYYY-MM-DD, the day the draft was imported"),
    sourceHash: textHashSchema,
    textHash: textHashSchema,
  })
  .strict();
export type MachineDraftRecord = z.infer<typeof machineDraftRecordSchema>;

/** One record of a key's translation: a review, or a note that the text is a machine draft. */
export const ledgerRecordSchema = z.discriminatedUnion("origin", [reviewRecordSchema, machineDraftRecordSchema]);
export type LedgerRecord = z.infer<typeof ledgerRecordSchema>;

/** `content/reviews/<locale>.yaml`: content key → record. */
export const ledgerFileSchema = z.record(contentKeySchema, ledgerRecordSchema);

/** Whether a record is a human review (not a machine draft). */
export function isReview(record: LedgerRecord | undefined): record is ReviewRecord {
  return record !== undefined && record.origin !== "machine";
}

/** The review records of every locale, as loaded from `content/reviews/`. */
export type ReviewLedger = {
  /** The record of `key` in `locale`; undefined when there is none. */
  record(locale: string, key: string): LedgerRecord | undefined;
  /** Every record of `locale`, by key. */
  records(locale: string): ReadonlyMap<string, LedgerRecord>;
  /** Locales that have records, sorted. */
  readonly locales: readonly string[];
};

/** Builds a ledger from records already in memory (loaded, or made by an import before it is saved). */
export function createReviewLedger(byLocale: ReadonlyMap<string, ReadonlyMap<string, LedgerRecord>>): ReviewLedger {
  const none: ReadonlyMap<string, LedgerRecord> = new Map();
  return {
    record: (locale, key) => byLocale.get(locale)?.get(key),
    records: (locale) => byLocale.get(locale) ?? none,
    locales: [...byLocale.keys()].filter((locale) => (byLocale.get(locale)?.size ?? 0) > 0).sort(),
  };
}

/**
 * A ledger with no records. Checks given it treat every minority translation as unreviewed, so forgetting
 * to load the ledger can only hide a language, never offer an unreviewed one.
 */
export const emptyReviewLedger: ReviewLedger = createReviewLedger(new Map());

const reviewsFolder = "reviews";
const localeFileName = /^([a-z]{2,3})\.yaml$/;

/** Loads every `<contentDir>/reviews/<locale>.yaml`; a missing folder means no reviews yet. */
export async function loadReviewLedger(contentDir: string): Promise<ReviewLedger> {
  const dir = join(contentDir, reviewsFolder);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".yaml")).sort();
  } catch (cause) {
    if (cause instanceof Error && "code" in cause && cause.code === "ENOENT") return emptyReviewLedger;
    throw new ContentError(`cannot list ${dir}`, "content:file-unreadable", { cause, context: { dir } });
  }
  const byLocale = new Map<string, ReadonlyMap<string, LedgerRecord>>();
  for (const name of names) {
    const file = join(dir, name);
    const locale = localeFileName.exec(name)?.[1];
    if (locale === undefined) {
      throw new ContentError(`${file}: a review file is named after its locale code, e.g. hmn.yaml`, "content:file-invalid", {
        context: { file },
      });
    }
    const records = (await readYamlFile(file, ledgerFileSchema.nullable())) ?? {};
    byLocale.set(locale, new Map(Object.entries(records)));
  }
  return createReviewLedger(byLocale);
}

/**
 * Writes the records of one locale to `<contentDir>/reviews/<locale>.yaml`, keys sorted so diffs stay small.
 * With no records the file is removed: a file exists only when there is something to say.
 */
export async function saveReviewRecords(
  contentDir: string,
  locale: string,
  records: ReadonlyMap<string, LedgerRecord>,
): Promise<void> {
  const dir = join(contentDir, reviewsFolder);
  const file = join(dir, `${locale}.yaml`);
  if (records.size === 0) {
    await rm(file, { force: true });
    return;
  }
  const sorted = Object.fromEntries([...records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const document = new Document(sorted);
  document.commentBefore =
    ` Review records for ${basename(file, ".yaml")}: key -> who reviewed which text, written by loa content import.` +
    "\n See docs/translation.md. Edit by hand only to remove a record.";
  await mkdir(dir, { recursive: true });
  await writeFile(file, document.toString({ lineWidth: 0 }), "utf8");
}

/** A stored value as one text: a keyword list is one keyword per line. */
export function contentText(value: ContentValue): string {
  return typeof value === "string" ? value : value.join("\n");
}

/** Texts compare after Unicode (NFC) and line-end normalisation, so a spreadsheet's re-encoding is no change. */
export function normalizeText(text: string): string {
  return text.normalize("NFC").replace(/\r\n?/g, "\n").trim();
}

/** A short, stable hash of a text, as stored in review records. */
export function hashText(value: ContentValue): string {
  return createHash("sha256").update(normalizeText(contentText(value))).digest("hex").slice(0, 16);
}

/**
 * Where one translation stands. `reviewed`: a human review covers this exact text and this exact
 * Vietnamese source. `outdated`: the Vietnamese source changed since the text was reviewed (or, for a
 * machine draft, made). `draft`: text without a current review. `missing`: no text.
 */
export type TranslationStatus = "missing" | "draft" | "reviewed" | "outdated";

/** The status of a translation given the Vietnamese source, the translation and its record. */
export function translationStatus(
  source: ContentValue | undefined,
  text: ContentValue | undefined,
  record: LedgerRecord | undefined,
): TranslationStatus {
  if (text === undefined) return "missing";
  if (record === undefined || record.textHash !== hashText(text)) return "draft";
  if (source === undefined || record.sourceHash !== hashText(source)) return "outdated";
  return isReview(record) ? "reviewed" : "draft";
}
