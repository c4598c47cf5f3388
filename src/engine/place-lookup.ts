/** A province or commune as the conversation needs it: its official code, its name, and its province. */
export type LookupPlace = { code: string; name: string; provinceCode: string | null };

/** A place that matches what the person typed; `exact` when the folded names are equal. */
export type LookupMatch = { place: LookupPlace; quality: "exact" | "close" };

/**
 * What the `place` node asks of the list of administrative units. The engine gets it with its setup, so
 * matching a typed commune stays pure; the places module builds it from the database.
 */
export type PlaceLookup = {
  /** Every province, in official code order; empty when no places are loaded. */
  provinces: readonly LookupPlace[];
  find(code: string): LookupPlace | undefined;
  communesOf(provinceCode: string): readonly LookupPlace[];
  matchProvince(text: string, limit?: number): LookupMatch[];
  matchCommune(provinceCode: string, text: string, limit?: number): LookupMatch[];
  /** The unit word and the name ("xã Mường Bú"), as said in "Có phải xã Mường Bú không?". */
  displayName(place: LookupPlace): string;
};

/** A lookup with no places, for a bot that has none loaded: the place step is then skipped. */
export const noPlaces: PlaceLookup = {
  provinces: [],
  find: () => undefined,
  communesOf: () => [],
  matchProvince: () => [],
  matchCommune: () => [],
  displayName: (place) => place.name,
};
