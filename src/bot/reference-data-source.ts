import { createHelpEntryStore } from "../directory/help-entry-store.ts";
import { createPlaceIndex } from "../places/place-index.ts";
import { loadPlaceRecords, placesRevision, seedShippedPlaces } from "../places/place-store.ts";
import { loadShippedPlaces } from "../places/shipped-places.ts";
import type { DatabaseClient } from "../store/database.ts";
import type { ReferenceData } from "./bot-assets.ts";

/**
 * Where a running bot gets the data staff change without a restart: the places table (seeded with the
 * shipped provinces and sample communes on first start) and the local help entries. `revision` is cheap, so
 * every process can poll it and reload only after an import.
 */
export type ReferenceDataSource = {
  /** Writes the shipped provinces and sample communes when the places table is empty; returns rows written. */
  seed(): Promise<number>;
  /** A value that changes whenever places or help entries change. */
  revision(): Promise<string>;
  load(): Promise<ReferenceData>;
};

/** Builds the source over one database; `contentDir` holds the shipped `places/*.yaml` files. */
export function createReferenceDataSource(deps: { db: DatabaseClient; contentDir: string; now: () => Date }): ReferenceDataSource {
  const helpEntries = createHelpEntryStore(deps.db, deps.now);
  return {
    async seed() {
      const shipped = await loadShippedPlaces(deps.contentDir);
      return seedShippedPlaces(deps.db, [...shipped.provinces, ...shipped.sampleCommunes]);
    },
    async revision() {
      const help = await deps.db.helpEntry.aggregate({ _count: { _all: true }, _max: { updatedAt: true } });
      return `${await placesRevision(deps.db)}|${help._count._all}@${help._max.updatedAt?.toISOString() ?? "never"}`;
    },
    async load() {
      const [records, localHelp] = await Promise.all([loadPlaceRecords(deps.db), helpEntries.list()]);
      return { places: createPlaceIndex(records), localHelp };
    },
  };
}
