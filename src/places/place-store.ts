import { z } from "zod";
import { DatabaseError } from "../errors.ts";
import { isUniqueViolation, type DatabaseClient, type DatabaseTransaction } from "../store/database.ts";
import { placeRecordSchema, type PlaceRecord } from "./place.ts";
import { foldPlaceName } from "./place-matching.ts";

/**
 * The Place table. One JSON column holds what a unit was formed from: for a commune, the pre-2025
 * districts (`formerDistricts`); for a province, the pre-2025 provinces merged into it (`formerNames`),
 * which the official file does not carry and an import therefore keeps from the rows it replaces.
 */

/** The `source` of rows written from the files Loa ships. */
const shippedSource = "shipped";

/** Rows per statement when writing a whole list, well under SQLite's and PostgreSQL's parameter limits. */
const rowsPerStatement = 500;

/** Long enough to replace ~3,400 rows on a slow disk; the default 5 s is meant for conversation turns. */
const replaceTimeoutMs = 120_000;

/** What replacing the list did. */
export type PlacesReplaced = { written: number; sampleRowsRemoved: number };

const storedNamesSchema = z.array(z.string().min(1));

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += rowsPerStatement) result.push(items.slice(start, start + rowsPerStatement));
  return result;
}

function toRow(record: PlaceRecord, source: string, updatedAt: Date) {
  return {
    code: record.code,
    level: record.level,
    name: record.name,
    unitType: record.unitType,
    provinceCode: record.provinceCode,
    searchName: foldPlaceName(record.name),
    formerDistricts: JSON.stringify(record.level === "province" ? record.formerNames : record.formerDistricts),
    sample: record.sample,
    source,
    updatedAt,
  };
}

/**
 * A write time later than every stored row's, so `placesRevision` changes on every write even when two
 * writes fall in the same millisecond and leave the row count unchanged.
 */
async function nextUpdatedAt(tx: DatabaseTransaction): Promise<Date> {
  const now = new Date();
  const latest = (await tx.place.aggregate({ _max: { updatedAt: true } }))._max.updatedAt;
  return latest !== null && latest >= now ? new Date(latest.getTime() + 1) : now;
}

/**
 * Writes the shipped provinces and sample communes, but only into an empty table: once anything is stored
 * (an earlier start or an import) it is left alone. Safe when several processes start at once. Returns the
 * number of rows written.
 */
export async function seedShippedPlaces(db: DatabaseClient, records: readonly PlaceRecord[]): Promise<number> {
  try {
    return await db.$transaction(async (tx) => {
      if ((await tx.place.count()) > 0) return 0;
      const updatedAt = await nextUpdatedAt(tx);
      for (const chunk of chunks(records)) await tx.place.createMany({ data: chunk.map((record) => toRow(record, shippedSource, updatedAt)) });
      return records.length;
    });
  } catch (error) {
    // Another process seeded the empty table between our count and our insert.
    if (isUniqueViolation(error)) return 0;
    throw error;
  }
}

/**
 * Replaces the stored list with an imported one in one transaction: every sample row goes, every imported
 * row is written (replacing a stored row with its code), and stored rows the file does not mention stay
 * (a file of one province's communes leaves the others). Nothing changes if any write fails.
 */
export async function replacePlaces(db: DatabaseClient, records: readonly PlaceRecord[], source: string): Promise<PlacesReplaced> {
  return db.$transaction(
    async (tx) => {
      const updatedAt = await nextUpdatedAt(tx);
      const sampleRowsRemoved = (await tx.place.deleteMany({ where: { sample: true } })).count;
      for (const chunk of chunks(records)) await tx.place.deleteMany({ where: { code: { in: chunk.map((record) => record.code) } } });
      for (const chunk of chunks(records)) await tx.place.createMany({ data: chunk.map((record) => toRow(record, source, updatedAt)) });
      return { written: records.length, sampleRowsRemoved };
    },
    { maxWait: 10_000, timeout: replaceTimeoutMs },
  );
}

/** How many shipped sample rows are stored: what an import would remove. */
export async function countSamplePlaces(db: DatabaseClient): Promise<number> {
  return db.place.count({ where: { sample: true } });
}

/** Every stored province and commune in code order, with its stored JSON checked. */
export async function loadPlaceRecords(db: DatabaseClient): Promise<PlaceRecord[]> {
  const rows = await db.place.findMany({ orderBy: { code: "asc" } });
  return rows.map((row) => {
    let formedFrom: string[];
    try {
      formedFrom = storedNamesSchema.parse(JSON.parse(row.formerDistricts));
    } catch (cause) {
      throw new DatabaseError(`place ${row.code}: formerDistricts is not a JSON list of names`, "database:invalid-row", {
        cause,
        context: { table: "Place", code: row.code },
      });
    }
    const parsed = placeRecordSchema.safeParse({
      code: row.code,
      level: row.level,
      name: row.name,
      unitType: row.unitType,
      provinceCode: row.provinceCode,
      formerNames: row.level === "province" ? formedFrom : [],
      formerDistricts: row.level === "province" ? [] : formedFrom,
      sample: row.sample,
    });
    if (!parsed.success) {
      throw new DatabaseError(`place ${row.code}: stored row is not a valid place`, "database:invalid-row", {
        cause: parsed.error,
        context: { table: "Place", code: row.code },
      });
    }
    return parsed.data;
  });
}

/**
 * A cheap value that changes whenever the stored places change (row count and latest write time), so a
 * running process can poll it and rebuild its place index after an import.
 */
export async function placesRevision(db: DatabaseClient): Promise<string> {
  const summary = await db.place.aggregate({ _count: { _all: true }, _max: { updatedAt: true } });
  return `${summary._count._all}@${summary._max.updatedAt?.toISOString() ?? "never"}`;
}
