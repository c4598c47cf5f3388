import type { PlaceLookup } from "../../engine/place-lookup.ts";
import type { StaffPrincipal } from "../../staff/staff-principal.ts";
import type { Period } from "../../stats/periods.ts";
import { consoleUrls } from "./console-request.ts";
import type { StatsPlace } from "./console-stats-tables.ts";

/**
 * The places of the statistics pages: who may see which, and their addresses. A province's page is
 * /console/stats/<province>, a commune's /console/stats/<province>/<commune>; downloads name their place by code.
 */

/** Whether she may see the figures of `place`: admins everywhere, officers their provinces, teams their communes. */
export function maySee(principal: StaffPrincipal, place: StatsPlace): boolean {
  if (principal.role === "admin") return true;
  if (place.level === "country") return false;
  if (principal.role === "province") return principal.provinces.includes(place.provinceCode);
  return place.level === "commune" && principal.communes.includes(place.communeCode);
}

/** The place's page, keeping the period. */
export function placeUrl(place: StatsPlace, period: Period | null): string {
  const path = place.level === "country" ? consoleUrls.stats : place.level === "province" ? `${consoleUrls.stats}/${place.provinceCode}` : `${consoleUrls.stats}/${place.provinceCode}/${place.communeCode}`;
  return period === null ? path : `${path}?period=${encodeURIComponent(period.name)}`;
}

/** Where a table of a place's overview is downloaded. */
export function fileUrls(place: StatsPlace, period: Period, table: string): { csv: string; xlsx: string } {
  const query = `?place=${encodeURIComponent(placeCode(place))}&period=${encodeURIComponent(period.name)}`;
  return { csv: `${consoleUrls.stats}/tables/${table}.csv${query}`, xlsx: `${consoleUrls.stats}/tables/${table}.xlsx${query}` };
}

/** The code a download names its place by: "" for the country. */
export function placeCode(place: StatsPlace): string {
  return place.level === "country" ? "" : place.level === "province" ? place.provinceCode : place.communeCode;
}


/** The place a code names: "" the country, a province, or a commune with its province; undefined for none known. */
export function placeNamed(places: PlaceLookup, code: string): StatsPlace | undefined {
  if (code === "") return { level: "country" };
  const place = places.find(code);
  if (place === undefined) return undefined;
  return place.provinceCode === null ? { level: "province", provinceCode: place.code } : { level: "commune", provinceCode: place.provinceCode, communeCode: place.code };
}
