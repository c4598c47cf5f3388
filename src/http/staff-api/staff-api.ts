import type { StaffServices } from "../../staff/staff-services.ts";
import type { HttpServer } from "../http-server.ts";
import { registerApi } from "../api/register-api.ts";
import { createAttemptLimiter } from "../staff-auth.ts";
import { adminRoutes } from "./admin-routes.ts";
import { campaignRoutes } from "./campaign-routes.ts";
import { directoryRoutes } from "./directory-routes.ts";
import { referenceRoutes } from "./reference-routes.ts";
import { sessionRoutes } from "./session-routes.ts";
import { createStaffAccess } from "./staff-access.ts";
import { statsRoutes } from "./stats-routes.ts";
import { statsSessionRoutes } from "./stats-session-routes.ts";
import { statsTargetRoutes } from "./stats-target-routes.ts";

/** Options of the staff API: Secure cookies behind https, the version in the OpenAPI document, a test clock. */
export type StaffApiOptions = {
  secureCookies: boolean;
  version: string;
  now: () => Date;
  /** Waits before answering a failed sign-in; tests pass a no-op. */
  wait?: (ms: number) => Promise<unknown>;
};

/** Registers the staff JSON API under /api, with its OpenAPI document at /api/openapi.json. */
export function registerStaffApi(app: HttpServer, services: StaffServices, options: StaffApiOptions): void {
  const limiter = createAttemptLimiter({ max: 10, windowMs: 5 * 60_000, now: options.now });
  registerApi(app, {
    routes: [
      ...sessionRoutes({ staff: services.staff, limiter, secureCookies: options.secureCookies, ...(options.wait === undefined ? {} : { wait: options.wait }) }),
      ...directoryRoutes({ directory: services.directory, nameOf: services.nameOf }),
      ...referenceRoutes({ db: services.db, audit: services.staff.audit, coverage: services.coverage, afterPlacesChanged: services.afterReferenceChanged }),
      ...adminRoutes({ staff: services.staff }),
      ...campaignRoutes({ campaigns: services.campaigns, db: services.db }),
      ...statsRoutes({ db: services.db, places: services.stats.places, indicators: services.stats.indicators, audit: services.staff.audit, threshold: services.stats.threshold, now: options.now }),
      ...statsTargetRoutes({ targets: services.stats.targets }),
      ...statsSessionRoutes({ sessions: services.stats.sessions }),
    ],
    authorize: createStaffAccess(services.staff),
    version: options.version,
  });
}
