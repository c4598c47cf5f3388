import { z } from "zod";
import { contentKeySchema, topicSchema } from "../engine/flow-schema.ts";

/** What kind of help an entry is; `trusted-address` is a commune's Địa chỉ tin cậy. */
export const directoryKindSchema = z.enum([
  "hotline",
  "police",
  "ambulance",
  "trusted-address",
  "health-facility",
  "shelter",
  "legal-aid",
]);
export type DirectoryKind = z.infer<typeof directoryKindSchema>;

const directoryContentKey = contentKeySchema.refine(
  (key) => key.startsWith("directory:"),
  "directory texts live in the directory namespace, e.g. directory:national-111.name",
);

/** An entry id: shown to staff, used in spreadsheets and stable across imports. */
export const directoryIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "an id uses lower-case letters, digits and '-'");

const placeCode = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a place code uses lower-case letters, digits and '-'");

/** A phone number as shown to people: digits, optionally grouped by single spaces, with an optional leading +. */
export const directoryPhoneSchema = z.string().regex(/^\+?[0-9](?:[0-9 ]*[0-9])?$/, "digits, optionally grouped by single spaces");

/** Languages spoken when calling, as ISO 639-3 codes (vie, hmn, tay, ...). */
export const directoryLanguagesSchema = z
  .array(z.string().regex(/^[a-z]{3}$/, "an ISO 639-3 code, e.g. vie, hmn"))
  .min(1)
  .describe("languages spoken when calling, as ISO 639-3 codes");

/** Whether calling is free: true or false only when a source says so, otherwise "unknown". */
export const directoryFreeSchema = z.union([z.boolean(), z.literal("unknown")]).describe("free to call; unknown unless a source says");

/**
 * When someone answers: "24/7" only when a source says so, "unknown" when no source says, or opening hours as
 * staff wrote them ("7:00–17:00, thứ Hai–thứ Sáu"). Written so that an editor sees the two special values.
 */
export type DirectoryHours = "24/7" | "unknown" | (string & {});

/**
 * One place or number the bot may give to someone who needs help, whichever way it reached Loa. Only what a
 * source confirms is stated: `free` and `hours` say "unknown" rather than guess, and every entry names its
 * source and the date it was last verified, so staff can see which entries need checking again.
 *
 * `origin` says how to read `name`: a `file` entry (content/directory, mostly the national numbers) names a
 * content key that is translated; a `staff` entry (imported by staff into the database) holds the name as
 * staff typed it ("Địa chỉ tin cậy xã Mường Bú"), which is the same in every language.
 */
export type DirectoryEntry = FileDirectoryEntry | StaffDirectoryEntry;

/** The scope and place codes of an entry agree: national has none, province has a province, commune has both. */
function placeMatchesScope(
  entry: { scope: "national" | "province" | "commune"; provinceCode?: string | undefined; communeCode?: string | undefined },
  context: z.RefinementCtx,
): void {
  const needsProvince = entry.scope !== "national";
  const needsCommune = entry.scope === "commune";
  if (needsProvince !== (entry.provinceCode !== undefined)) {
    context.addIssue({
      code: "custom",
      path: ["provinceCode"],
      message: needsProvince ? `a ${entry.scope} entry needs provinceCode` : "a national entry has no provinceCode",
    });
  }
  if (needsCommune !== (entry.communeCode !== undefined)) {
    context.addIssue({
      code: "custom",
      path: ["communeCode"],
      message: needsCommune ? "a commune entry needs communeCode" : `a ${entry.scope} entry has no communeCode`,
    });
  }
}

/**
 * An entry of a `content/directory/*.yaml` file. Its name and description are content keys, so they are
 * translated and checked like every other text; hours are only "24/7" or "unknown", because free-text hours
 * in a file would escape translation. Parsing adds `origin: "file"`.
 */
export const directoryFileEntrySchema = z
  .object({
    id: directoryIdSchema,
    kind: directoryKindSchema,
    name: directoryContentKey,
    description: directoryContentKey.optional(),
    phone: directoryPhoneSchema,
    address: z.string().trim().min(1).optional(),
    scope: z.enum(["national", "province", "commune"]),
    provinceCode: placeCode.optional(),
    communeCode: placeCode.optional(),
    free: directoryFreeSchema,
    hours: z.enum(["24/7", "unknown"]).describe("24/7 only when a source says so"),
    topics: z.array(topicSchema).min(1),
    emergency: z.boolean().describe("listed in the emergency reply and the closing message"),
    languages: directoryLanguagesSchema,
    verifiedOn: z.iso.date(),
    source: z.url({ protocol: /^https?$/ }),
  })
  .strict()
  .superRefine(placeMatchesScope)
  .transform((entry) => ({ origin: "file" as const, ...entry }));

/** A directory file entry after parsing: its name and description are content keys. */
export type FileDirectoryEntry = z.output<typeof directoryFileEntrySchema>;

/**
 * A local entry staff imported (see help-entry-import.ts), as read back from the database. Its name, address
 * and hours are literal text; its source is a URL or a short note ("Hội LHPN xã, 03/2026"). Staff entries are
 * never national: the national numbers are content, reviewed with their sources.
 */
export const staffDirectoryEntrySchema = z
  .object({
    origin: z.literal("staff"),
    id: directoryIdSchema,
    kind: directoryKindSchema,
    name: z.string().trim().min(1),
    phone: directoryPhoneSchema,
    address: z.string().trim().min(1).optional(),
    scope: z.enum(["province", "commune"]),
    provinceCode: z.string().min(1),
    communeCode: z.string().min(1).optional(),
    free: directoryFreeSchema,
    hours: z.string().trim().min(1),
    topics: z.array(topicSchema).min(1),
    emergency: z.boolean(),
    languages: directoryLanguagesSchema,
    verifiedOn: z.iso.date(),
    source: z.string().trim().min(1),
  })
  .strict()
  .superRefine(placeMatchesScope);

/** A local entry imported by staff: literal name, address and hours. */
export type StaffDirectoryEntry = Omit<z.output<typeof staffDirectoryEntrySchema>, "hours"> & { hours: DirectoryHours };

/** A directory file: a list of entries, so related entries (a province's addresses) can share one file. */
export const directoryFileSchema = z.object({ entries: z.array(z.unknown()) }).strict();
