/**
 * Who is acting in the staff console or API, and what they may do. Pure: the authorization rules live here
 * and nowhere else, so the route × role × place matrix can be tested without a server.
 *
 * - An **admin** sees and manages everything.
 * - A **province** officer sees and manages the places of her provinces.
 * - A **commune** team member sees and manages her team's communes only; she may read (not change) what is
 *   shared by her whole province, such as a province shelter, and never another commune's data.
 */
export type StaffRole = "admin" | "province" | "commune";

/** The roles, for validation and for the matrix tests. */
export const staffRoles: readonly StaffRole[] = ["admin", "province", "commune"];

/** A signed-in account with its scope resolved: province codes, or the team's commune codes and province. */
export type StaffPrincipal = {
  accountId: string;
  username: string;
  displayName: string;
  role: StaffRole;
  locale: "vi" | "en";
  /** Province codes a province officer works in; empty for other roles. */
  provinces: readonly string[];
  /** Commune codes of a commune member's team; empty for other roles. */
  communes: readonly string[];
  teamId: string | null;
  /** The province of a commune member's team. */
  teamProvinceCode: string | null;
};

/** What an action is about: a province-wide thing (communeCode null) or a commune's. National things have neither. */
export type PlaceRef = { provinceCode: string | null; communeCode: string | null };

/** Actions that need a role; places are checked separately with `canSeePlace` and `canManagePlace`. */
export type StaffPermission =
  | "directory:read"
  | "directory:write"
  | "places:read"
  | "places:import"
  | "content:read"
  | "accounts:manage"
  | "audit:read"
  | "tokens:own"
  | "campaigns:write"
  | "stats:read"
  | "sessions:write"
  | "targets:write";

/**
 * Statistics: every role reads the figures of its own area (`stats:read`) and records its in-person sessions
 * (`sessions:write`). Only province officers and admins enter indicator targets (`targets:write`): the target
 * population is what the percentage reported upward is judged against, so the office that files the report
 * sets it; a commune team sees it beside its figures.
 */
const permissionsOf: Record<StaffRole, ReadonlySet<StaffPermission>> = {
  admin: new Set<StaffPermission>(["directory:read", "directory:write", "places:read", "places:import", "content:read", "accounts:manage", "audit:read", "tokens:own", "campaigns:write", "stats:read", "sessions:write", "targets:write"]),
  province: new Set<StaffPermission>(["directory:read", "directory:write", "places:read", "content:read", "tokens:own", "campaigns:write", "stats:read", "sessions:write", "targets:write"]),
  commune: new Set<StaffPermission>(["directory:read", "directory:write", "places:read", "content:read", "tokens:own", "campaigns:write", "stats:read", "sessions:write"]),
};

/** Whether the role may take this kind of action at all. */
export function hasPermission(principal: StaffPrincipal, permission: StaffPermission): boolean {
  return permissionsOf[principal.role].has(permission);
}

/** Whether she may see something of this place. National things (no province) are visible to every role. */
export function canSeePlace(principal: StaffPrincipal, place: PlaceRef): boolean {
  if (principal.role === "admin" || place.provinceCode === null) return true;
  if (principal.role === "province") return principal.provinces.includes(place.provinceCode);
  if (place.communeCode === null) return place.provinceCode === principal.teamProvinceCode;
  return principal.communes.includes(place.communeCode);
}

/** Whether she may create, change or remove something of this place. National things are admins' only. */
export function canManagePlace(principal: StaffPrincipal, place: PlaceRef): boolean {
  if (principal.role === "admin") return true;
  if (place.provinceCode === null) return false;
  if (principal.role === "province") return principal.provinces.includes(place.provinceCode);
  return place.communeCode !== null && principal.communes.includes(place.communeCode);
}
