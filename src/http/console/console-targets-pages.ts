import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { consoleText, fillText } from "../../console/console-locale.ts";
import { renderErrorPage } from "../../console/error-pages.ts";
import { renderIndicatorTargetsPage } from "../../console/indicator-targets-page.ts";
import type { TargetEntryRow, TargetImportOutcome } from "../../console/stats-view-models.ts";
import type { SignedInContext } from "../../console/view-models.ts";
import { StaffError } from "../../staff/staff-error.ts";
import { canManagePlace, type StaffPrincipal } from "../../staff/staff-principal.ts";
import { maxTargetPopulation, wholeNumber } from "../../stats/indicator-targets-table.ts";
import { TargetImportError, type IndicatorTargets } from "../../stats/indicator-targets.ts";
import type { Indicator } from "../../stats/indicators.ts";
import { periodKeyOf } from "../../stats/periods.ts";
import { ApiError } from "../api/api-error.ts";
import { readUploadedFile } from "../api/read-uploaded-file.ts";
import { csrfFieldName, type StaffAuthentication } from "../staff-auth.ts";
import type { ConsolePageKit } from "./console-directory-pages.ts";
import { consoleUrls, formOf, formValue, queryValue, type FormBody } from "./console-request.ts";

type Access = { session: Extract<StaffAuthentication, { kind: "session" }>; context: SignedInContext };

/** What the page shows: the province, year and indicator chosen, each checked against what she may choose. */
type Choice = { provinceCode: string; year: number; indicator: Indicator | undefined };

/** A population as staff type it ("1234", "1.234", "1 234"), or undefined when it is not a whole number in range. */
function populationOf(text: string): number | undefined {
  const value = wholeNumber(text.trim());
  return value !== undefined && value >= 1 && value <= maxTargetPopulation ? value : undefined;
}

/**
 * The console pages for indicator targets, through the targets service (which checks the area again and audits
 * every change): the form for one indicator's populations per commune of a province, the spreadsheet import,
 * and the download that doubles as the import's template. Only roles with `targets:write` reach them.
 */
export function registerTargetsPages(scope: FastifyInstance, kit: ConsolePageKit, targets: IndicatorTargets, indicators: () => Promise<readonly Indicator[]>, url: string): void {
  const { deps, html, guard, checkCsrf } = kit;
  const thisYear = () => Number(periodKeyOf("year", deps.now()).slice(1));

  const provincesOf = (principal: StaffPrincipal) => deps.places().provinces.filter((province) => canManagePlace(principal, { provinceCode: province.code, communeCode: null }));

  /** The choice asked for (query or form), falling back to her first province, this year and the first indicator with a population. */
  const choiceOf = async (principal: StaffPrincipal, asked: { province: string; year: string; indicator: string }): Promise<Choice | undefined> => {
    const provinces = provincesOf(principal);
    const province = asked.province === "" ? provinces[0] : provinces.find((candidate) => candidate.code === asked.province);
    if (province === undefined) return undefined;
    const year = /^\d{4}$/.test(asked.year) ? Number(asked.year) : thisYear();
    const withPopulation = (await indicators()).filter((indicator) => indicator.denominator !== null);
    return { provinceCode: province.code, year, indicator: withPopulation.find((indicator) => indicator.id === asked.indicator) ?? withPopulation[0] };
  };

  const page = async (reply: FastifyReply, status: number, access: Access, choice: Choice, extra: { typed?: FormBody; errors?: ReadonlyMap<string, string>; saved?: number | null; importOutcome?: TargetImportOutcome | null; dryRun?: boolean }) => {
    const { principal } = access.session;
    const { locale } = access.context;
    const words = consoleText(locale).targetsForm;
    const places = deps.places();
    const stored = new Map(
      choice.indicator === undefined
        ? []
        : (await targets.list(principal, { year: choice.year, provinceCode: choice.provinceCode, indicatorId: choice.indicator.id })).map((target) => [target.communeCode, target.population]),
    );
    const rows: TargetEntryRow[] = places
      .communesOf(choice.provinceCode)
      .filter((commune) => canManagePlace(principal, { provinceCode: choice.provinceCode, communeCode: commune.code }))
      .map((commune) => ({
        communeCode: commune.code,
        name: places.displayName(commune),
        value: extra.typed === undefined ? "" : formValue(extra.typed, `population-${commune.code}`),
        current: stored.get(commune.code) ?? null,
        error: extra.errors?.get(commune.code) ?? null,
      }));
    const years = [thisYear() + 1, thisYear(), thisYear() - 1, thisYear() - 2].map(String);
    const query = `?province=${choice.provinceCode}&year=${choice.year}`;
    return html(
      reply,
      status,
      renderIndicatorTargetsPage({
        context: access.context,
        chooser: {
          action: url,
          provinceCode: choice.provinceCode,
          year: String(choice.year),
          indicatorId: choice.indicator?.id ?? "",
          provinceChoices: provincesOf(principal).map((province) => ({ code: province.code, name: province.name })),
          yearChoices: years.includes(String(choice.year)) ? years : [...years, String(choice.year)],
          indicatorChoices: (await indicators()).filter((indicator) => indicator.denominator !== null).map((indicator) => ({ code: indicator.id, name: indicator.name[locale] })),
        },
        entry:
          choice.indicator === undefined || choice.indicator.denominator === null
            ? null
            : { action: url, caption: fillText(words.entryCaption, { denominator: choice.indicator.denominator[locale], year: choice.year }), description: choice.indicator.name[locale], rows },
        saved: extra.saved ?? null,
        importForm: { action: `${url}/import${query}`, dryRun: extra.dryRun ?? true },
        importOutcome: extra.importOutcome ?? null,
        exportUrls: { csv: `${url}/export.csv${query}`, xlsx: `${url}/export.xlsx${query}` },
        statsUrl: `${consoleUrls.stats}/${choice.provinceCode}?period=${choice.year}`,
      }),
    );
  };
  const notFound = (reply: FastifyReply, context: SignedInContext) => html(reply, 404, renderErrorPage({ context, status: 404, reference: null }));
  const asked = (request: FastifyRequest) => ({ province: queryValue(request, "province"), year: queryValue(request, "year"), indicator: queryValue(request, "indicator") });

  scope.get(url, async (request, reply) => {
    const access = await guard(request, reply, "targets:write");
    if (access === undefined) return reply;
    const choice = await choiceOf(access.session.principal, asked(request));
    if (choice === undefined) return notFound(reply, access.context);
    const saved = Number(queryValue(request, "saved"));
    return page(reply, 200, access, choice, { saved: Number.isInteger(saved) && saved > 0 ? saved : null });
  });

  scope.post(url, async (request, reply) => {
    const access = await guard(request, reply, "targets:write");
    if (access === undefined) return reply;
    const form = formOf(request);
    if (!(await checkCsrf(request, reply, access.session, access.context, formValue(form, csrfFieldName)))) return reply;
    const { principal } = access.session;
    const choice = await choiceOf(principal, { province: formValue(form, "province"), year: formValue(form, "year"), indicator: formValue(form, "indicator") });
    const { indicator } = choice ?? {};
    if (choice === undefined || indicator === undefined || indicator.id !== formValue(form, "indicator")) return notFound(reply, access.context);
    const words = consoleText(access.context.locale).targetsForm;
    const communes = deps.places().communesOf(choice.provinceCode).filter((commune) => canManagePlace(principal, { provinceCode: choice.provinceCode, communeCode: commune.code }));
    const errors = new Map<string, string>();
    const changes: Array<{ communeCode: string; population: number }> = [];
    for (const commune of communes) {
      const typed = formValue(form, `population-${commune.code}`);
      if (typed.trim() === "") continue;
      const population = populationOf(typed);
      if (population === undefined) errors.set(commune.code, words.populationInvalid);
      else changes.push({ communeCode: commune.code, population });
    }
    if (errors.size > 0) return page(reply, 400, access, choice, { typed: form, errors });
    for (const change of changes) await targets.set(principal, { indicatorId: indicator.id, communeCode: change.communeCode, year: choice.year, population: change.population });
    return reply
      .code(303)
      .header("location", `${url}?province=${choice.provinceCode}&year=${choice.year}&indicator=${encodeURIComponent(indicator.id)}&saved=${changes.length}`)
      .send();
  });

  scope.post(`${url}/import`, async (request, reply) => {
    const access = await guard(request, reply, "targets:write");
    if (access === undefined) return reply;
    const choice = await choiceOf(access.session.principal, asked(request));
    if (choice === undefined) return notFound(reply, access.context);
    const upload = await readUploadedFile(request, { maxBytes: 5_000_000, allowedExtensions: [".csv", ".xlsx"] }).catch((error: unknown) => {
      if (error instanceof ApiError) return error;
      throw error;
    });
    if (upload instanceof ApiError) {
      return page(reply, upload.status, access, choice, { importOutcome: { kind: "rejected", fileName: "", problems: [{ row: 0, column: null, message: upload.message }] } });
    }
    if (!(await checkCsrf(request, reply, access.session, access.context, upload.fields[csrfFieldName] ?? ""))) return reply;
    const dryRun = upload.fields.dryRun === "1";
    try {
      const summary = await targets.import(access.session.principal, upload.path, dryRun);
      return await page(reply, 200, access, choice, { importOutcome: { kind: "accepted", dryRun, added: summary.added, updated: summary.updated }, dryRun: false });
    } catch (error) {
      if (!(error instanceof TargetImportError)) throw error;
      const problems = error.problems.map((problem) => ({ row: problem.row, column: problem.column ?? null, message: problem.message }));
      return page(reply, 400, access, choice, { importOutcome: { kind: "rejected", fileName: upload.originalName, problems }, dryRun });
    }
  });

  for (const format of ["csv", "xlsx"] as const) {
    scope.get(`${url}/export.${format}`, async (request, reply) => {
      const access = await guard(request, reply, "targets:write");
      if (access === undefined) return reply;
      const choice = await choiceOf(access.session.principal, asked(request));
      if (choice === undefined) return notFound(reply, access.context);
      const folder = await mkdtemp(join(tmpdir(), "loa-targets-"));
      const name = `chi-tieu-${choice.provinceCode}-${choice.year}.${format}`;
      const file = join(folder, name);
      try {
        await targets.export(access.session.principal, file, { year: choice.year, provinceCode: choice.provinceCode });
      } catch (error) {
        await rm(folder, { recursive: true, force: true });
        if (error instanceof StaffError) return notFound(reply, access.context);
        throw error;
      }
      reply.raw.on("close", () => void rm(folder, { recursive: true, force: true }));
      return reply
        .type(format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header("content-disposition", `attachment; filename="${name}"`)
        .send(createReadStream(file));
    });
  }
}
