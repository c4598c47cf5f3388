import { join } from "node:path";
import type { z } from "zod";
import { ContentError } from "../content/content-error.ts";
import { describeProblems, fieldProblems, readYamlFile } from "../content/data-file.ts";
import {
  provincesFileSchema,
  sampleCommuneSchema,
  sampleCommunesFileSchema,
  shippedProvinceSchema,
  type PlaceRecord,
} from "./place.ts";

/** The shipped provinces file, relative to the content folder. */
export const provincesFile = join("places", "provinces.yaml");

/** The shipped sample communes file, relative to the content folder. */
export const sampleCommunesFile = join("places", "communes-sample.yaml");

/** What Loa ships: the 34 provinces and a marked sample of communes for the demo. */
export type ShippedPlaces = { provinces: PlaceRecord[]; sampleCommunes: PlaceRecord[] };

function entryLabel(raw: unknown, index: number): string {
  if (typeof raw === "object" && raw !== null && "code" in raw && typeof raw.code === "string") return `"${raw.code}"`;
  return `#${index + 1}`;
}

/** Validates one entry, or throws a ContentError naming the file, the entry and each bad field. */
function parseEntry<T>(schema: z.ZodType<T>, raw: unknown, index: number, file: string): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const entry = entryLabel(raw, index);
  const problems = fieldProblems(result.error);
  throw new ContentError(`${file}: entry ${entry}: ${describeProblems(problems)}`, "content:places-invalid", {
    cause: result.error,
    context: { file, entry, problems },
  });
}

function refuse(file: string, entry: string, message: string): never {
  throw new ContentError(`${file}: entry ${entry}: ${message}`, "content:places-invalid", { context: { file, entry } });
}

/**
 * Loads content/places/provinces.yaml and content/places/communes-sample.yaml, checking every entry with
 * zod and across entries: codes unique over both files, each sample commune in a shipped province. Errors
 * name the file and the entry, so an editor can fix the file without reading code.
 */
export async function loadShippedPlaces(contentDir: string): Promise<ShippedPlaces> {
  const provincesPath = join(contentDir, provincesFile);
  const communesPath = join(contentDir, sampleCommunesFile);
  const fileOfCode = new Map<string, string>();
  const claim = (code: string, file: string) => {
    const earlier = fileOfCode.get(code);
    if (earlier !== undefined) refuse(file, `"${code}"`, `code already used in ${earlier}`);
    fileOfCode.set(code, file);
  };

  const provinces = (await readYamlFile(provincesPath, provincesFileSchema)).provinces.map((raw, index): PlaceRecord => {
    const entry = parseEntry(shippedProvinceSchema, raw, index, provincesPath);
    claim(entry.code, provincesPath);
    return {
      code: entry.code,
      level: "province",
      name: entry.name,
      unitType: entry.unitType,
      provinceCode: null,
      formerNames: entry.formerProvinces,
      formerDistricts: [],
      sample: false,
    };
  });

  const sampleCommunes = (await readYamlFile(communesPath, sampleCommunesFileSchema)).communes.map((raw, index): PlaceRecord => {
    const entry = parseEntry(sampleCommuneSchema, raw, index, communesPath);
    claim(entry.code, communesPath);
    if (!provinces.some((province) => province.code === entry.provinceCode)) {
      refuse(communesPath, `"${entry.code}"`, `provinceCode ${entry.provinceCode} is not in ${provincesFile}`);
    }
    return {
      code: entry.code,
      level: "commune",
      name: entry.name,
      unitType: entry.unitType,
      provinceCode: entry.provinceCode,
      formerNames: [],
      formerDistricts: entry.formerDistricts,
      sample: true,
    };
  });

  return { provinces, sampleCommunes };
}
