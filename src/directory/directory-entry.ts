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

const directoryContentKey = contentKeySchema.refine(
  (key) => key.startsWith("directory:"),
  "directory texts live in the directory namespace, e.g. directory:national-111.name",
);

const placeCode = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a place code uses lower-case letters, digits and '-'");

/**
 * One place or number the bot may give to someone who needs help. Only what a source confirms is
 * stated: `free` and `hours` say "unknown" rather than guess, and every entry names its source and the
 * date it was last verified.
 */
export const directoryEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "an id uses lower-case letters, digits and '-'"),
    kind: directoryKindSchema,
    name: directoryContentKey,
    description: directoryContentKey.optional(),
    phone: z.string().regex(/^\+?[0-9](?:[0-9 ]*[0-9])?$/, "digits, optionally grouped by single spaces"),
    scope: z.enum(["national", "province", "commune"]),
    provinceCode: placeCode.optional(),
    communeCode: placeCode.optional(),
    free: z.union([z.boolean(), z.literal("unknown")]).describe("free to call; unknown unless a source says"),
    hours: z.enum(["24/7", "unknown"]).describe("24/7 only when a source says so"),
    topics: z.array(topicSchema).min(1),
    emergency: z.boolean().describe("listed in the emergency reply and the closing message"),
    languages: z
      .array(z.string().regex(/^[a-z]{3}$/, "an ISO 639-3 code, e.g. vie, hmn"))
      .min(1)
      .describe("languages spoken when calling, as ISO 639-3 codes"),
    verifiedOn: z.iso.date(),
    source: z.url({ protocol: /^https?$/ }),
  })
  .strict()
  .superRefine((entry, context) => {
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
  });
export type DirectoryEntry = z.infer<typeof directoryEntrySchema>;

/** A directory file: a list of entries, so related entries (a province's addresses) can share one file. */
export const directoryFileSchema = z.object({ entries: z.array(z.unknown()) }).strict();
