import { z } from "zod";

/** The two levels of local government since 1/7/2025: the district level (cấp huyện) is gone. */
export const placeLevels = ["province", "commune"] as const;

/** A province-level unit (34) or a commune-level unit (about 3,321). */
export type PlaceLevel = (typeof placeLevels)[number];

/** What a province-level unit is called. */
export const provinceUnitTypes = ["tỉnh", "thành phố"] as const;

/** What a commune-level unit is called since 1/7/2025 (thị trấn were abolished then). */
export const communeUnitTypes = ["xã", "phường", "đặc khu"] as const;

/**
 * A province or commune as Loa uses it, whichever the source (shipped file, imported file, database).
 * `formerNames` holds, for a province, the pre-2025 provinces merged into it, so an old name still matches;
 * `formerDistricts` holds, for a commune, the pre-2025 districts it was formed from, when known. `sample`
 * marks the demo communes shipped before the official list is imported.
 */
export type PlaceRecord = {
  code: string;
  level: "province" | "commune";
  name: string;
  unitType: string;
  provinceCode: string | null;
  formerNames: string[];
  formerDistricts: string[];
  sample: boolean;
};

/** Validates a place record wherever one crosses a boundary (stored rows, test fixtures). */
export const placeRecordSchema = z.strictObject({
  code: z.string().min(1),
  level: z.enum(placeLevels),
  name: z.string().min(1),
  unitType: z.string().min(1),
  provinceCode: z.string().min(1).nullable(),
  formerNames: z.array(z.string().min(1)),
  formerDistricts: z.array(z.string().min(1)),
  sample: z.boolean(),
}) satisfies z.ZodType<PlaceRecord>;

/** One entry of content/places/provinces.yaml. */
export const shippedProvinceSchema = z.strictObject({
  code: z.string().regex(/^\d{2}$/, "a province code is the 2-digit official code, quoted: \"14\""),
  name: z.string().min(1),
  unitType: z.enum(provinceUnitTypes),
  formerProvinces: z.array(z.string().min(1)),
});

/** content/places/provinces.yaml; entries are validated one by one so errors can name the entry. */
export const provincesFileSchema = z.strictObject({ provinces: z.array(z.unknown()).min(1) });

/**
 * The code of a shipped sample commune: its province, "mau" (mẫu, sample) and a number, such as
 * "14-mau-01". Official commune codes are 5 digits, so a sample code can never be taken for one.
 */
export const sampleCommuneCodePattern = /^(\d{2})-mau-\d{2,}$/;

/** One entry of content/places/communes-sample.yaml. */
export const sampleCommuneSchema = z
  .strictObject({
    code: z.string().regex(sampleCommuneCodePattern, "a sample commune code looks like \"14-mau-01\" (province, mau, number)"),
    name: z.string().min(1),
    unitType: z.enum(communeUnitTypes),
    provinceCode: z.string().regex(/^\d{2}$/, "the 2-digit official code of the province, quoted: \"14\""),
    formerDistricts: z.array(z.string().min(1)),
  })
  .refine((entry) => sampleCommuneCodePattern.exec(entry.code)?.[1] === entry.provinceCode, {
    message: "the code must start with the commune's provinceCode",
    path: ["code"],
  });

/** content/places/communes-sample.yaml: `sample: true` says, in the file itself, that it is not the official list. */
export const sampleCommunesFileSchema = z.strictObject({
  sample: z.literal(true, "the sample file must say sample: true"),
  communes: z.array(z.unknown()).min(1),
});
