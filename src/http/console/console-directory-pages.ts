import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { renderDirectoryListPage } from "../../console/directory-list-page.ts";
import { renderErrorPage } from "../../console/error-pages.ts";
import { renderHelpEntryFormPage } from "../../console/help-entry-form-page.ts";
import { renderImportResultPage } from "../../console/import-result-page.ts";
import type { HelpEntryFormValues, SignedInContext } from "../../console/view-models.ts";
import { directoryKindSchema } from "../../directory/directory-entry.ts";
import { helpEntryColumns, type HelpEntryField } from "../../directory/help-entry-columns.ts";
import { HelpEntryImportError } from "../../directory/help-entry-import.ts";
import { topicSchema } from "../../engine/flow-schema.ts";
import { StaffError } from "../../staff/staff-error.ts";
import { canSeePlace, hasPermission, type StaffPermission } from "../../staff/staff-principal.ts";
import { ApiError } from "../api/api-error.ts";
import { readUploadedFile } from "../api/read-uploaded-file.ts";
import { csrfFieldName, type StaffAuthentication } from "../staff-auth.ts";
import { consoleUrls, formOf, formValue, formValues, queryValue } from "./console-request.ts";
import type { ConsoleDeps } from "./console-routes.ts";

type Session = Extract<StaffAuthentication, { kind: "session" }>;

/** What the console's page groups share: its dependencies and the helpers every page uses. */
export type ConsolePageKit = {
  deps: ConsoleDeps;
  html: (reply: FastifyReply, status: number, page: string) => FastifyReply;
  /** The signed-in session and page context when she may use `permission`; otherwise answers and returns undefined. */
  guard: (request: FastifyRequest, reply: FastifyReply, permission: StaffPermission) => Promise<{ session: Session; context: SignedInContext } | undefined>;
  /** Whether a change carries the session's CSRF token; otherwise answers 403 and returns false. */
  checkCsrf: (request: FastifyRequest, reply: FastifyReply, session: Session, context: SignedInContext, token: string) => Promise<boolean>;
  placeName: (code: string | undefined) => string;
  communeName: (code: string) => string;
};

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
 * The help directory's console pages: the list with its filter, adding and editing an entry, importing a
 * spreadsheet (every row's problem shown) and downloading the list, each within the staff member's area.
 */
export function registerDirectoryPages(scope: FastifyInstance, kit: ConsolePageKit): void {
  const { deps, html, guard, checkCsrf, placeName, communeName } = kit;
  const { services } = deps;
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
}
