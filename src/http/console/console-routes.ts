import fastifyMultipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { consoleCss, consoleCssPath } from "../../console/console-css.ts";
import { renderCoveragePage } from "../../console/coverage-page.ts";
import { renderErrorPage, renderSignedOutPage } from "../../console/error-pages.ts";
import { renderOverviewPage } from "../../console/overview-page.ts";
import { renderPlacesPage, renderProvincePage } from "../../console/places-pages.ts";
import { renderSignInPage } from "../../console/sign-in-page.ts";
import type { SignedInContext, SignInProblem } from "../../console/view-models.ts";
import type { PlaceLookup } from "../../engine/place-lookup.ts";
import { loggableError } from "../../logger.ts";
import { loadPlaceRecords } from "../../places/place-store.ts";
import { hasPermission, type StaffPermission } from "../../staff/staff-principal.ts";
import type { StaffServices } from "../../staff/staff-services.ts";
import { newToken } from "../../staff/staff-sessions.ts";
import { trackUploads } from "../api/read-uploaded-file.ts";
import type { HttpServer } from "../http-server.ts";
import { createAttemptLimiter, csrfFieldName, passesCsrfCheck, readCookie, setSessionCookie, setStaffSecurityHeaders, type StaffAuthentication } from "../staff-auth.ts";
import { registerCampaignPages } from "./console-campaign-pages.ts";
import { registerDirectoryPages } from "./console-directory-pages.ts";
import { registerStatsPages } from "./console-stats-pages.ts";
import { anonymousContext, consoleLocale, consoleSession, consoleUrls, formOf, formValue, parseForm, queryValue, signedInContext } from "./console-request.ts";

/** What the console needs besides the staff services: the running bot's places and languages, and the cookie policy. */
export type ConsoleDeps = {
  services: StaffServices;
  places: () => PlaceLookup;
  languages: () => readonly { code: string; name: string }[];
  secureCookies: boolean;
  staleMonths: number;
  now: () => Date;
  /** Waits before answering a failed sign-in; tests pass a no-op. */
  wait?: (ms: number) => Promise<unknown>;
};

/** The pre-sign-in CSRF token travels in this cookie and in the sign-in form (double submit). */
const signInCsrfCookie = "loa_signin_csrf";

type Session = Extract<StaffAuthentication, { kind: "session" }>;

/**
 * The staff console: server-rendered pages in Vietnamese (English on request) that work without JavaScript,
 * over the same staff services as the API. Every page needs a session cookie; every form carries the
 * session's CSRF token; every answer carries the staff security headers.
 */
export function registerConsole(app: HttpServer, deps: ConsoleDeps): void {
  const { services } = deps;
  const limiter = createAttemptLimiter({ max: 10, windowMs: 5 * 60_000, now: deps.now });
  const wait = deps.wait ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const html = (reply: FastifyReply, status: number, page: string) => reply.code(status).type("text/html; charset=utf-8").send(page);

  app.register(async (scope) => {
    await scope.register(fastifyMultipart);
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 64 * 1024 }, (_request, body, done) => {
      done(null, parseForm(typeof body === "string" ? body : body.toString("utf8")));
    });
    scope.addHook("onRequest", async (request, reply) => {
      trackUploads(request, reply);
      if (!request.url.startsWith(consoleCssPath)) setStaffSecurityHeaders(reply, { https: deps.secureCookies });
    });

    /** The page for a visitor who may not see it: sign-in when signed out, else 403. */
    const guard = async (request: FastifyRequest, reply: FastifyReply, permission: StaffPermission): Promise<{ session: Session; context: SignedInContext } | undefined> => {
      const session = await consoleSession(request, services);
      if (session === undefined) {
        await reply.code(303).header("location", consoleUrls.signIn).send();
        return undefined;
      }
      const context = await signedInContext(request, consoleLocale(request, reply, session.principal), session, services, deps.places());
      if (!hasPermission(session.principal, permission)) {
        await html(reply, 403, renderErrorPage({ context, status: 403, reference: null }));
        return undefined;
      }
      return { session, context };
    };
    const checkCsrf = async (request: FastifyRequest, reply: FastifyReply, session: Session, context: SignedInContext, token: string) => {
      if (passesCsrfCheck(request, session, token)) return true;
      await html(reply, 403, renderErrorPage({ context, status: 403, reference: null }));
      return false;
    };
    const communeName = (code: string) => {
      const place = deps.places().find(code);
      return place === undefined ? code : deps.places().displayName(place);
    };
    const placeName = (code: string | undefined) => {
      if (code === undefined || code === "") return "";
      const place = deps.places().find(code);
      return place === undefined ? code : place.name;
    };

    scope.get(consoleCssPath, async (_request, reply) => reply.header("cache-control", "public, max-age=31536000, immutable").type("text/css; charset=utf-8").send(consoleCss));

    scope.get(consoleUrls.signIn, async (request, reply) => {
      const token = newToken();
      reply.header("set-cookie", `${signInCsrfCookie}=${token}; Path=${consoleUrls.signIn}; HttpOnly; SameSite=Strict${deps.secureCookies ? "; Secure" : ""}`);
      return html(reply, 200, renderSignInPage({ context: anonymousContext(request, consoleLocale(request, reply, null), token), action: consoleUrls.signIn, username: "", problem: null }));
    });

    scope.post(consoleUrls.signIn, async (request, reply) => {
      const form = formOf(request);
      const locale = consoleLocale(request, reply, null);
      const username = formValue(form, "username").slice(0, 60);
      const again = (status: number, problem: SignInProblem) => {
        const token = newToken();
        reply.header("set-cookie", `${signInCsrfCookie}=${token}; Path=${consoleUrls.signIn}; HttpOnly; SameSite=Strict${deps.secureCookies ? "; Secure" : ""}`);
        return html(reply, status, renderSignInPage({ context: anonymousContext(request, locale, token), action: consoleUrls.signIn, username, problem }));
      };
      const expected = readCookie(request, signInCsrfCookie);
      if (expected === undefined || formValue(form, csrfFieldName) !== expected) return again(403, { kind: "session-ended" });
      const retryAfter = limiter.take(request.ip);
      if (retryAfter !== undefined) return again(429, { kind: "too-many-attempts", minutes: Math.ceil(retryAfter / 60) });
      const result = await services.staff.signIn(username, formValue(form, "password"));
      if (!result.ok) {
        await wait(result.delayMs);
        if (result.reason === "locked") {
          const minutes = Math.max(1, Math.ceil(((result.lockedUntil?.getTime() ?? deps.now().getTime()) - deps.now().getTime()) / 60_000));
          return again(429, { kind: "locked", minutes });
        }
        return again(401, { kind: "wrong-credentials" });
      }
      const session = await services.staff.sessions.start(result.principal.accountId);
      setSessionCookie(reply, session.token, { secure: deps.secureCookies, maxAgeSeconds: Math.round((session.expiresAt.getTime() - deps.now().getTime()) / 1000) });
      return reply.code(303).header("location", consoleUrls.overview).send();
    });

    scope.post(consoleUrls.signOut, async (request, reply) => {
      const session = await consoleSession(request, services);
      const locale = consoleLocale(request, reply, session?.principal ?? null);
      if (session !== undefined) {
        const context = await signedInContext(request, locale, session, services, deps.places());
        if (!(await checkCsrf(request, reply, session, context, formValue(formOf(request), csrfFieldName)))) return reply;
        await services.staff.sessions.end(session.token);
        await services.staff.audit.record({ accountId: session.principal.accountId, action: "sign-out", outcome: "ok" });
      }
      setSessionCookie(reply, "", { secure: deps.secureCookies, maxAgeSeconds: 0 });
      return html(reply, 200, renderSignedOutPage({ context: anonymousContext(request, locale, "") }));
    });

    scope.get(consoleUrls.overview, async (request, reply) => {
      const access = await guard(request, reply, "directory:read");
      if (access === undefined) return reply;
      const entries = await services.directory.list(access.session.principal);
      const records = await loadPlaceRecords(services.db);
      const coverage = await services.coverage();
      return html(
        reply,
        200,
        renderOverviewPage({
          context: access.context,
          directory: { entries: entries.length, dueForCheck: entries.filter((item) => item.stale).length, staleMonths: deps.staleMonths, dueForCheckUrl: `${consoleUrls.directory}?due=1` },
          places: { provinces: records.filter((record) => record.level === "province").length, communes: records.filter((record) => record.level === "commune").length, sample: records.some((record) => record.sample) },
          languages: { offered: deps.languages().map((language) => language.name), registered: coverage.locales.length },
        }),
      );
    });

    registerDirectoryPages(scope, { deps, html, guard, checkCsrf, placeName, communeName });
    registerCampaignPages(scope, { deps, html, guard, checkCsrf, placeName, communeName });
    registerStatsPages(scope, { deps, html, guard, checkCsrf, placeName, communeName });

    scope.get(consoleUrls.places, async (request, reply) => {
      const access = await guard(request, reply, "places:read");
      if (access === undefined) return reply;
      const places = deps.places();
      const records = await loadPlaceRecords(services.db);
      const query = queryValue(request, "q").trim().slice(0, 80);
      const matches =
        query === ""
          ? null
          : [...places.matchProvince(query, 5), ...places.provinces.flatMap((province) => places.matchCommune(province.code, query, 3).filter((match) => match.quality === "exact" || query.length >= 4))]
              .slice(0, 20)
              .map(({ place }) => ({
                code: place.code,
                name: place.name,
                unitType: records.find((record) => record.code === place.code)?.unitType ?? "",
                provinceName: place.provinceCode === null ? null : placeName(place.provinceCode),
                url: `${consoleUrls.places}/${encodeURIComponent(place.provinceCode ?? place.code)}${place.provinceCode === null ? "" : `#place-${place.code}`}`,
              }));
      return html(
        reply,
        200,
        renderPlacesPage({
          context: access.context,
          sample: records.some((record) => record.sample),
          search: { action: consoleUrls.places, query },
          matches,
          provinces: records
            .filter((record) => record.level === "province")
            .map((province) => ({ code: province.code, name: province.name, unitType: province.unitType, communeCount: records.filter((record) => record.provinceCode === province.code).length, url: `${consoleUrls.places}/${province.code}` })),
        }),
      );
    });

    scope.get<{ Params: { code: string } }>(`${consoleUrls.places}/:code`, async (request, reply) => {
      const access = await guard(request, reply, "places:read");
      if (access === undefined) return reply;
      const records = await loadPlaceRecords(services.db);
      const province = records.find((record) => record.level === "province" && record.code === request.params.code);
      if (province === undefined) return html(reply, 404, renderErrorPage({ context: access.context, status: 404, reference: null }));
      const communes = records.filter((record) => record.provinceCode === province.code);
      return html(
        reply,
        200,
        renderProvincePage({
          context: access.context,
          sample: communes.some((record) => record.sample),
          province: { code: province.code, name: province.name, unitType: province.unitType, formerNames: province.formerNames },
          communes: communes.map((record) => ({ code: record.code, name: record.name, unitType: record.unitType, formerDistricts: record.formerDistricts, sample: record.sample })),
        }),
      );
    });

    scope.get(consoleUrls.coverage, async (request, reply) => {
      const access = await guard(request, reply, "content:read");
      if (access === undefined) return reply;
      const report = await services.coverage();
      return html(
        reply,
        200,
        renderCoveragePage({
          context: access.context,
          keyCount: report.keys.length,
          languages: report.locales.map((locale) => ({ code: locale.code, name: locale.nameVi, status: locale.status, offered: locale.offered, withText: locale.text, reviewed: locale.reviewed, outdated: locale.outdated, withAudio: locale.audio })),
        }),
      );
    });

    scope.setNotFoundHandler(async (request, reply) => {
      const session = await consoleSession(request, services);
      const locale = consoleLocale(request, reply, session?.principal ?? null);
      const context = session === undefined ? anonymousContext(request, locale, "") : await signedInContext(request, locale, session, services, deps.places());
      return html(reply, 404, renderErrorPage({ context, status: 404, reference: null }));
    });
    scope.setErrorHandler(async (error: unknown, request, reply) => {
      const reference = newToken().slice(0, 8);
      request.log.error({ error: loggableError(error), reference }, "console page failed");
      const locale = consoleLocale(request, reply, null);
      return html(reply, 500, renderErrorPage({ context: anonymousContext(request, locale, ""), status: 500, reference }));
    });
  });
}
