import type { FastifyRequest } from "fastify";
import { hasPermission, type StaffPermission, type StaffPrincipal } from "../../staff/staff-principal.ts";
import type { StaffSide } from "../../staff/staff-side.ts";
import { ApiError } from "../api/api-error.ts";
import type { Authorize } from "../api/register-api.ts";
import { authenticate, passesCsrfCheck, type StaffAuthentication } from "../staff-auth.ts";

const authenticated = new WeakMap<FastifyRequest, StaffAuthentication>();

/** The staff permissions a route may name in its `access`, checked when routes are built. */
const permissions: ReadonlySet<string> = new Set<StaffPermission>([
  "directory:read",
  "directory:write",
  "places:read",
  "places:import",
  "content:read",
  "accounts:manage",
  "audit:read",
  "tokens:own",
  "campaigns:write",
  "stats:read",
  "sessions:write",
  "targets:write",
]);

function isPermission(name: string): name is StaffPermission {
  return permissions.has(name);
}

/**
 * The API's authorisation hook: finds the caller (session cookie or API token), refuses an anonymous call
 * (401), a role without the route's permission (403), and a cookie session's state-changing call without its
 * CSRF header (403). The caller is kept for the handler (`principalOf`). Place scope is checked by the staff
 * services themselves, where the data is.
 */
export function createStaffAccess(staff: StaffSide): Authorize {
  return async (request, access) => {
    if (access.kind === "public") return;
    if (!isPermission(access.permission)) throw new ApiError("forbidden", "This route names no known permission.");
    const found = await authenticate(request, staff);
    if (found === undefined) throw new ApiError("unauthenticated", "Sign in, or send an API token.");
    if (!hasPermission(found.principal, access.permission)) throw new ApiError("forbidden", "Your role may not do this.");
    if (!passesCsrfCheck(request, found, undefined)) throw new ApiError("forbidden", "Send the session's CSRF token in the x-csrf-token header.");
    authenticated.set(request, found);
  };
}

/** The caller the authorisation hook found for this request; routes with staff access always have one. */
export function principalOf(request: FastifyRequest): StaffPrincipal {
  const found = authenticated.get(request);
  if (found === undefined) throw new ApiError("unauthenticated", "Sign in, or send an API token.");
  return found.principal;
}

/** How the caller proved who she is, for sign-out (which ends the cookie's session). */
export function authenticationOf(request: FastifyRequest): StaffAuthentication | undefined {
  return authenticated.get(request);
}
