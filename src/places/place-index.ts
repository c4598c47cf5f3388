import { LoaError } from "../errors.ts";
import type { PlaceRecord } from "./place.ts";
import { prepareName, rankCandidates, type MatchCandidate } from "./place-matching.ts";

export type { PlaceRecord } from "./place.ts";

/** A place that matches what the person typed; `exact` only when the folded names are equal. */
export type PlaceMatch = { place: PlaceRecord; quality: "exact" | "close" };

/**
 * The list of administrative units as the conversation asks about it: provinces in official order, the
 * communes of a province, and matching of typed names. Pure and in memory: built once from the stored
 * records (`loadPlaceRecords`) and rebuilt when `placesRevision` changes.
 */
export type PlaceIndex = {
  /** Every province, in official code order. */
  provinces: readonly PlaceRecord[];
  /** A province or commune by its code. */
  find(code: string): PlaceRecord | undefined;
  /** The communes of a province, in code order; empty for an unknown province. */
  communesOf(provinceCode: string): readonly PlaceRecord[];
  /** Provinces matching typed text, best first; a pre-2025 province name ("Kon Tum") finds its new province. */
  matchProvince(text: string, limit?: number): PlaceMatch[];
  /** Communes of one province matching typed text, best first; former district names are not used. */
  matchCommune(provinceCode: string, text: string, limit?: number): PlaceMatch[];
  /** "xã Mường Bú", "phường Tô Hiệu": the unit word and name, as said in "Có phải xã … không?" */
  displayName(place: PlaceRecord): string;
};

/** How many matches `matchProvince` and `matchCommune` return when no limit is given. */
const defaultMatchLimit = 5;

/** Official codes sort as numbers where they are numbers ("9" before "10"), sample codes after their province. */
function byCode(a: PlaceRecord, b: PlaceRecord): number {
  return a.code.localeCompare(b.code, "en", { numeric: true });
}

/**
 * Builds the index. Names are folded once here, so matching a commune among a province's ~100 (or a
 * province among 34 and their former names) does no per-name normalisation. Codes must be unique.
 */
export function createPlaceIndex(records: readonly PlaceRecord[]): PlaceIndex {
  const byCodeMap = new Map<string, PlaceRecord>();
  for (const record of records) {
    if (byCodeMap.has(record.code)) {
      throw new LoaError(`place code ${record.code} appears twice`, "places:duplicate-code", { context: { code: record.code } });
    }
    byCodeMap.set(record.code, record);
  }
  const sorted = [...records].sort(byCode);
  const provinces = sorted.filter((record) => record.level === "province");
  const provinceCandidates: MatchCandidate<PlaceRecord>[] = provinces.map((province) => ({
    item: province,
    names: [prepareName(province.name), ...province.formerNames.map((name) => prepareName(name, true))],
  }));
  const communes = new Map<string, PlaceRecord[]>();
  const communeCandidates = new Map<string, MatchCandidate<PlaceRecord>[]>();
  for (const record of sorted) {
    if (record.level !== "commune" || record.provinceCode === null) continue;
    const list = communes.get(record.provinceCode) ?? [];
    list.push(record);
    communes.set(record.provinceCode, list);
    const candidates = communeCandidates.get(record.provinceCode) ?? [];
    candidates.push({ item: record, names: [prepareName(record.name)] });
    communeCandidates.set(record.provinceCode, candidates);
  }
  const toMatches = (ranked: ReturnType<typeof rankCandidates<PlaceRecord>>): PlaceMatch[] =>
    ranked.map(({ item, quality }) => ({ place: item, quality }));

  return {
    provinces,
    find: (code) => byCodeMap.get(code),
    communesOf: (provinceCode) => communes.get(provinceCode) ?? [],
    matchProvince: (text, limit = defaultMatchLimit) => toMatches(rankCandidates(provinceCandidates, text, limit)),
    matchCommune: (provinceCode, text, limit = defaultMatchLimit) =>
      toMatches(rankCandidates(communeCandidates.get(provinceCode) ?? [], text, limit)),
    // Looked up by code, so a caller holding a narrower view of the place (code and name only) still gets the unit word.
    displayName: (place) => {
      const known = byCodeMap.get(place.code) ?? place;
      return `${known.unitType} ${known.name}`;
    },
  };
}
