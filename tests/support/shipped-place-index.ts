// The place list most tests run against: the shipped provinces and the marked sample communes, as one lookup.
import { fileURLToPath } from "node:url";
import { createPlaceIndex, type PlaceIndex } from "../../src/places/place-index.ts";
import { loadShippedPlaces } from "../../src/places/shipped-places.ts";

const contentDir = fileURLToPath(new URL("../../content/", import.meta.url));

/** The shipped provinces and sample communes ("14-mau-04" …), indexed as Loa's runtime indexes them. */
export async function shippedPlaceIndex(): Promise<PlaceIndex> {
  const shipped = await loadShippedPlaces(contentDir);
  return createPlaceIndex([...shipped.provinces, ...shipped.sampleCommunes]);
}
