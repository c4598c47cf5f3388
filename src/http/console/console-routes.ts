import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fastifyMultipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { consoleCss, consoleCssPath } from "../../console/console-css.ts";
import { renderCoveragePage } from "../../console/coverage-page.ts";
import { renderDirectoryListPage } from "../../console/directory-list-page.ts";
import { renderErrorPage, renderSignedOutPage } from "../../console/error-pages.ts";
import { renderHelpEntryFormPage } from "../../console/help-entry-form-page.ts";
import { renderImportResultPage } from "../../console/import-result-page.ts";
import { renderOverviewPage } from "../../console/overview-page.ts";
import { renderPlacesPage, renderProvincePage } from "../../console/places-pages.ts";
import { renderSignInPage } from "../../console/sign-in-page.ts";
import type { HelpEntryFormValues, SignedInContext, SignInProblem } from "../../console/view-models.ts";
import { directoryKindSchema } from "../../directory/directory-entry.ts";
import { helpEntryColumns, type HelpEntryField } from "../../directory/help-entry-columns.ts";
import { HelpEntryImportError } from "../../directory/help-entry-import.ts";
import { topicSchema } from "../../engine/flow-schema.ts";
import type { PlaceLookup } from "../../engine/place-lookup.ts";
import { loggableError } from "../../logger.ts";
import { loadPlaceRecords } from "../../places/place-store.ts";
import { StaffError } from "../../staff/staff-error.ts";
import { canSeePlace, hasPermission, type StaffPermission } from "../../staff/staff-principal.ts";
import type { StaffServices } from "../../staff/staff-services.ts";
import { newToken } from "../../staff/staff-sessions.ts";
import { ApiError } from "../api/api-error.ts";
import { readUploadedFile, trackUploads } from "../api/read-uploaded-file.ts";
import type { HttpServer } from "../http-server.ts";
import { createAttemptLimiter, csrfFieldName, passesCsrfCheck, readCookie, setSessionCookie, setStaffSecurityHeaders, type StaffAuthentication } from "../staff-auth.ts";
import { anonymousContext, consoleLocale, consoleSession, consoleUrls, formOf, formValue, formValues, parseForm, queryValue, signedInContext } from "./console-request.ts";

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

const fieldOfHeader = new Map(helpEntryColumns.map((column) => [column.header, column.field]));

const emptyForm: HelpEntryFormValues = {
  id: "",
  kind: "",
  name: "",
  phone: "",
  address: "",
  provinceCode: "",
  communeCode: "",
  hours: "",
  free: "unknown",
  languages: ["vie"],
  topics: [],
  emergency: false,
  verifiedOn: "",
  source: "",
};

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

    const provinceChoices = (session: Session) =>
      deps
        .places()
        .provinces.filter((province) => canSeePlace(session.principal, { provinceCode: province.code, communeCode: null }))
        .map((province) => ({ code: province.code, name: province.name }));
    const communeChoices = (session: Session, provinceCode: string) =>
      provinceCode === ""
        ? []
        : deps
            .places()
            .communesOf(provinceCode)
            .filter((commune) => canSeePlace(session.principal, { provinceCode, communeCode: commune.code }))
            .map((commune) => ({ code: commune.code, name: deps.places().displayName(commune) }));

    scope.get(consoleUrls.directory, async (request, reply) => {
      const access = await guard(request, reply, "directory:read");
      if (access === undefined) return reply;
      const { principal } = access.session;
      const provinceCode = queryValue(request, "province");
      const communeCode = queryValue(request, "commune");
      const dueOnly = queryValue(request, "due") === "1";
      const items = (await services.directory.list(principal, { ...(provinceCode === "" ? {} : { provinceCode }), staleOnly: dueOnly })).filter(
        (item) => communeCode === "" || item.entry.communeCode === communeCode,
      );
      const saved = queryValue(request, "saved");
      const savedEntry = saved === "" ? undefined : items.find((item) => item.entry.id === saved);
      const canWrite = hasPermission(principal, "directory:write");
      return html(
        reply,
        200,
        renderDirectoryListPage({
          context: access.context,
          filter: { action: consoleUrls.directory, provinceCode, communeCode, dueOnly, provinceChoices: provinceChoices(access.session), communeChoices: communeChoices(access.session, provinceCode) },
          entries: items.map(({ entry, stale, canEdit }) => ({
            id: entry.id,
            kind: entry.kind,
            name: services.nameOf(entry),
            phone: entry.phone,
            provinceName: placeName(entry.provinceCode),
            communeName: entry.communeCode === undefined ? null : communeName(entry.communeCode),
            hours: entry.hours,
            free: entry.free,
            emergency: entry.emergency,
            verifiedOn: entry.verifiedOn,
            stale,
            canEdit,
            editUrl: `${consoleUrls.directory}/${encodeURIComponent(entry.id)}/edit`,
          })),
          savedEntryName: savedEntry === undefined ? null : services.nameOf(savedEntry.entry),
          newEntryUrl: canWrite ? `${consoleUrls.directory}/new` : null,
          importForm: canWrite ? { action: `${consoleUrls.directory}/import`, dryRun: false } : null,
          exportUrls: { csv: `${consoleUrls.directory}/export.csv`, xlsx: `${consoleUrls.directory}/export.xlsx` },
        }),
      );
    });

    const formPage = (reply: FastifyReply, status: number, context: SignedInContext, session: Session, mode: "new" | "edit", values: HelpEntryFormValues, errors: Partial<Record<HelpEntryField, string>>) => {
      const provinces = provinceChoices(session);
      const communes = provinces.flatMap((province) => communeChoices(session, province.code).map((commune) => ({ ...commune, provinceName: province.name })));
      return html(
        reply,
        status,
        renderHelpEntryFormPage({
          context,
          mode,
          action: mode === "new" ? `${consoleUrls.directory}/new` : `${consoleUrls.directory}/${encodeURIComponent(values.id)}/edit`,
          cancelUrl: consoleUrls.directory,
          values,
          errors,
          provinceChoices: provinces,
          communeChoices: communes,
          languageChoices: deps.languages().map((language) => ({ code: language.code === "vi" ? "vie" : language.code === "en" ? "eng" : language.code, name: language.name })),
        }),
      );
    };
    const valuesOfForm = (id: string, form: ReturnType<typeof formOf>): HelpEntryFormValues => {
      const kind = directoryKindSchema.safeParse(formValue(form, "kind"));
      const free = formValue(form, "free");
      return {
        id,
        kind: kind.success ? kind.data : "",
        name: formValue(form, "name"),
        phone: formValue(form, "phone"),
        address: formValue(form, "address"),
        provinceCode: formValue(form, "provinceCode"),
        communeCode: formValue(form, "communeCode"),
        hours: formValue(form, "hours"),
        free: free === "yes" || free === "no" ? free : "unknown",
        languages: formValues(form, "languages"),
        topics: formValues(form, "topics").flatMap((topic) => {
          const parsed = topicSchema.safeParse(topic);
          return parsed.success ? [parsed.data] : [];
        }),
        emergency: formValue(form, "emergency") === "yes",
        verifiedOn: formValue(form, "verifiedOn"),
        source: formValue(form, "source"),
      };
    };
    const columnsOf = (values: HelpEntryFormValues): Record<string, string> => {
      const fields: Record<HelpEntryField, string> = {
        id: values.id,
        kind: values.kind,
        name: values.name,
        phone: values.phone,
        address: values.address,
        provinceCode: values.provinceCode,
        communeCode: values.communeCode,
        hours: values.hours,
        free: values.free,
        languages: values.languages.join(", "),
        topics: values.topics.join(", "),
        emergency: values.emergency ? "yes" : "no",
        verifiedOn: values.verifiedOn,
        source: values.source,
      };
      return Object.fromEntries(helpEntryColumns.map((column) => [column.header, fields[column.field]]));
    };
    const saveForm = async (request: FastifyRequest, reply: FastifyReply, mode: "new" | "edit", id: string) => {
      const access = await guard(request, reply, "directory:write");
      if (access === undefined) return reply;
      const form = formOf(request);
      if (!(await checkCsrf(request, reply, access.session, access.context, formValue(form, csrfFieldName)))) return reply;
      const values = valuesOfForm(id, form);
      if (mode === "edit") {
        const existing = await services.directory.get(access.session.principal, id).catch(() => undefined);
        if (existing === undefined || !existing.canEdit) return html(reply, existing === undefined ? 404 : 403, renderErrorPage({ context: access.context, status: existing === undefined ? 404 : 403, reference: null }));
      }
      const result = await services.directory.save(access.session.principal, columnsOf(values));
      if ("problems" in result) {
        const errors: Partial<Record<HelpEntryField, string>> = {};
        for (const problem of result.problems) {
          const field = problem.column === undefined ? undefined : fieldOfHeader.get(problem.column);
          if (field !== undefined) errors[field] ??= problem.message;
        }
        return formPage(reply, 400, access.context, access.session, mode, values, errors);
      }
      await services.afterReferenceChanged();
      return reply.code(303).header("location", `${consoleUrls.directory}?saved=${encodeURIComponent(result.entry.id)}`).send();
    };

    scope.get(`${consoleUrls.directory}/new`, async (request, reply) => {
      const access = await guard(request, reply, "directory:write");
      if (access === undefined) return reply;
      const province = access.session.principal.provinces[0] ?? access.session.principal.teamProvinceCode ?? "";
      return formPage(reply, 200, access.context, access.session, "new", { ...emptyForm, provinceCode: province }, {});
    });
    scope.post(`${consoleUrls.directory}/new`, async (request, reply) => saveForm(request, reply, "new", ""));

    scope.get<{ Params: { id: string } }>(`${consoleUrls.directory}/:id/edit`, async (request, reply) => {
      const access = await guard(request, reply, "directory:write");
      if (access === undefined) return reply;
      const item = await services.directory.get(access.session.principal, request.params.id).catch((error: unknown) => {
        if (error instanceof StaffError) return undefined;
        throw error;
      });
      if (item === undefined || item.entry.origin !== "staff" || !item.canEdit) {
        return html(reply, item === undefined ? 404 : 403, renderErrorPage({ context: access.context, status: item === undefined ? 404 : 403, reference: null }));
      }
      const entry = item.entry;
      return formPage(reply, 200, access.context, access.session, "edit", {
        id: entry.id,
        kind: entry.kind,
        name: entry.name,
        phone: entry.phone,
        address: entry.address ?? "",
        provinceCode: entry.provinceCode,
        communeCode: entry.communeCode ?? "",
        hours: entry.hours === "unknown" ? "" : entry.hours,
        free: entry.free === true ? "yes" : entry.free === false ? "no" : "unknown",
        languages: [...entry.languages],
        topics: [...entry.topics],
        emergency: entry.emergency,
        verifiedOn: entry.verifiedOn,
        source: entry.source,
      }, {});
    });
    scope.post<{ Params: { id: string } }>(`${consoleUrls.directory}/:id/edit`, async (request, reply) => saveForm(request, reply, "edit", request.params.id));

    scope.post(`${consoleUrls.directory}/import`, async (request, reply) => {
      const access = await guard(request, reply, "directory:write");
      if (access === undefined) return reply;
      const upload = await readUploadedFile(request, { maxBytes: 5_000_000, allowedExtensions: [".csv", ".xlsx"] }).catch((error: unknown) => {
        if (error instanceof ApiError) return error;
        throw error;
      });
      if (upload instanceof ApiError) {
        return html(reply, upload.status, renderImportResultPage({ context: access.context, fileName: "", outcome: { kind: "rejected", problems: [{ row: 0, column: null, message: upload.message }] }, importForm: { action: `${consoleUrls.directory}/import`, dryRun: false } }));
      }
      if (!(await checkCsrf(request, reply, access.session, access.context, upload.fields[csrfFieldName] ?? ""))) return reply;
      const dryRun = upload.fields.dryRun === "1";
      const importForm = { action: `${consoleUrls.directory}/import`, dryRun };
      try {
        const report = await services.directory.import(access.session.principal, upload.path, dryRun);
        if (report.written) await services.afterReferenceChanged();
        return html(reply, 200, renderImportResultPage({ context: access.context, fileName: upload.originalName, outcome: { kind: "accepted", dryRun, added: report.added, updated: report.updated }, importForm }));
      } catch (error) {
        if (!(error instanceof HelpEntryImportError)) throw error;
        const problems = error.problems.map((problem) => ({ row: problem.row, column: problem.column ?? null, message: problem.message }));
        return html(reply, 400, renderImportResultPage({ context: access.context, fileName: upload.originalName, outcome: { kind: "rejected", problems }, importForm }));
      }
    });

    for (const format of ["csv", "xlsx"] as const) {
      scope.get(`${consoleUrls.directory}/export.${format}`, async (request, reply) => {
        const access = await guard(request, reply, "directory:read");
        if (access === undefined) return reply;
        const folder = await mkdtemp(join(tmpdir(), "loa-export-"));
        const file = join(folder, `dia-chi-tro-giup.${format}`);
        await services.directory.export(access.session.principal, file);
        reply.raw.on("close", () => void rm(folder, { recursive: true, force: true }));
        return reply
          .type(format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
          .header("content-disposition", `attachment; filename="dia-chi-tro-giup.${format}"`)
          .send(createReadStream(file));
      });
    }

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
