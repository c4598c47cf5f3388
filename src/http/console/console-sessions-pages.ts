import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { consoleText, fillText, type ConsoleLocale } from "../../console/console-locale.ts";
import { renderErrorPage } from "../../console/error-pages.ts";
import { renderOutreachSessionFormPage } from "../../console/outreach-session-form-page.ts";
import { renderOutreachSessionListPage } from "../../console/outreach-session-list-page.ts";
import type { SessionFormField, SessionFormValues } from "../../console/stats-view-models.ts";
import type { CommuneChoice, SignedInContext } from "../../console/view-models.ts";
import { StaffError } from "../../staff/staff-error.ts";
import { canManagePlace, canSeePlace, hasPermission, type StaffPrincipal } from "../../staff/staff-principal.ts";
import { outreachSessionInputSchema, sessionTopics, type OutreachSession, type OutreachSessionInput, type OutreachSessions } from "../../stats/outreach-sessions.ts";
import { isPeriodKey, periodKeyOf, periodLabel, parsePeriod, type Period } from "../../stats/periods.ts";
import { StatsError } from "../../stats/stats-error.ts";
import { csrfFieldName } from "../staff-auth.ts";
import type { ConsolePageKit } from "./console-directory-pages.ts";
import { consoleUrls, formOf, formValue, queryValue, type FormBody } from "./console-request.ts";
import { periodAsked } from "./console-stats-periods.ts";

const emptyForm: SessionFormValues = { heldOn: "", communeCode: "", topic: "", placeName: "", participantsFemale: "", participantsMale: "", note: "" };

/** A count as typed, or NaN for anything but digits, which the session schema then refuses. */
function countOf(text: string): number {
  return /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

/** A stored session as the form shows it. */
function valuesOf(session: OutreachSession): SessionFormValues {
  return {
    heldOn: session.heldOn,
    communeCode: session.communeCode,
    topic: session.topic,
    placeName: session.placeName,
    participantsFemale: String(session.participantsFemale),
    participantsMale: String(session.participantsMale),
    note: session.note ?? "",
  };
}

/**
 * The notice after a session was saved, changed or removed, naming its day ("Đã ghi buổi truyền thông:
 * 10/08/2026."); null when the query holds no such day.
 */
export function sessionNotice(locale: ConsoleLocale, change: "saved" | "changed" | "removed", day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !isPeriodKey(`d${day}`)) return null;
  return fillText(consoleText(locale).sessionForm[change], { date: periodLabel(parsePeriod(day), locale) });
}

/** The half-year a session counts in, where she lands after saving it. */
function halfOf(heldOn: string): Period {
  return parsePeriod(periodKeyOf("half", parsePeriod(heldOn).start));
}

/**
 * The console pages for in-person sessions (cuộc), through the sessions service, which checks the area again
 * and audits every change: the form that records one for a commune of her area, the list of those recorded for
 * a commune or province in a period, and the same form to change one, with a button to remove it. After saving
 * she lands on the commune's statistics for the half-year of the session, where it is counted.
 */
export function registerSessionPages(scope: FastifyInstance, kit: ConsolePageKit, sessions: OutreachSessions, url: string): void {
  const base = `${consoleUrls.stats}/sessions`;
  const { deps, html, guard, checkCsrf } = kit;

  /**
   * The communes she may record for: a team's own; an officer's or an admin's in the province asked for (or, for
   * an officer, in all her provinces), so an admin's list is never the whole country.
   */
  const communeChoices = (principal: StaffPrincipal, provinceCode: string): CommuneChoice[] => {
    const places = deps.places();
    const provinces = places.provinces.filter((province) => (provinceCode === "" ? principal.role !== "admin" : province.code === provinceCode));
    return provinces.flatMap((province) =>
      places
        .communesOf(province.code)
        .filter((commune) => canManagePlace(principal, { provinceCode: province.code, communeCode: commune.code }))
        .map((commune) => ({ code: commune.code, name: places.displayName(commune), provinceName: province.name })),
    );
  };

  /** The province whose communes the form lists: asked for (`?province=`), or the chosen commune's. */
  const provinceOf = (request: FastifyRequest, communeCode: string) => queryValue(request, "province") || (deps.places().find(communeCode)?.provinceCode ?? "");

  const formPage = (
    reply: FastifyReply,
    status: number,
    context: SignedInContext,
    principal: StaffPrincipal,
    provinceCode: string,
    values: SessionFormValues,
    errors: Partial<Record<SessionFormField, string>>,
    changing: string | null = null,
  ) => {
    const text = consoleText(context.locale);
    const sessionTopicNames: Record<string, string> = { ...text.topics, ...text.stats.sessionTopics };
    return html(
      reply,
      status,
      renderOutreachSessionFormPage({
        context,
        mode: changing === null ? "new" : "change",
        action: changing !== null ? `${base}/${encodeURIComponent(changing)}` : provinceCode === "" ? url : `${url}?province=${encodeURIComponent(provinceCode)}`,
        removeAction: changing === null ? null : `${base}/${encodeURIComponent(changing)}/remove`,
        cancelUrl: consoleUrls.stats,
        values,
        errors,
        communeChoices: communeChoices(principal, provinceCode),
        topicChoices: sessionTopics.map((topic) => ({ code: topic, name: sessionTopicNames[topic] ?? topic })),
      }),
    );
  };

  scope.get(url, async (request, reply) => {
    const access = await guard(request, reply, "sessions:write");
    if (access === undefined) return reply;
    const { principal } = access.session;
    const commune = queryValue(request, "commune");
    const province = provinceOf(request, commune);
    const choices = communeChoices(principal, province);
    const [only] = choices;
    const chosen = choices.some((choice) => choice.code === commune) ? commune : choices.length === 1 && only !== undefined ? only.code : "";
    return formPage(reply, 200, access.context, principal, province, { ...emptyForm, communeCode: chosen }, {});
  });

  /** The form as posted: its values as typed, and the session input or every problem by field. */
  const readForm = (form: FormBody, context: SignedInContext): { values: SessionFormValues; input: OutreachSessionInput | null; errors: Partial<Record<SessionFormField, string>> } => {
    const words = consoleText(context.locale).sessionForm;
    const values: SessionFormValues = {
      heldOn: formValue(form, "heldOn").trim(),
      communeCode: formValue(form, "communeCode"),
      topic: formValue(form, "topic"),
      placeName: formValue(form, "placeName").slice(0, 300),
      participantsFemale: formValue(form, "participantsFemale"),
      participantsMale: formValue(form, "participantsMale"),
      note: formValue(form, "note").slice(0, 600),
    };
    const messages: Record<SessionFormField, string> = {
      heldOn: words.heldOnInvalid,
      communeCode: words.communeMissing,
      topic: words.topicMissing,
      placeName: words.placeNameMissing,
      participantsFemale: words.countInvalid,
      participantsMale: words.countInvalid,
      note: words.noteTooLong,
    };
    const parsed = outreachSessionInputSchema.safeParse({
      heldOn: values.heldOn,
      communeCode: values.communeCode,
      topic: values.topic,
      placeName: values.placeName,
      participantsFemale: countOf(values.participantsFemale),
      participantsMale: countOf(values.participantsMale),
      ...(values.note.trim() === "" ? {} : { note: values.note }),
    });
    if (parsed.success) return { values, input: parsed.data, errors: {} };
    const errors: Partial<Record<SessionFormField, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = Object.keys(messages).find((name): name is SessionFormField => name === issue.path[0]);
      if (field !== undefined) errors[field] ??= issue.code === "custom" ? words.nobody : messages[field];
    }
    return { values, input: null, errors };
  };

  /**
   * Saves a new session, or changes one (`changing`), and lands on the statistics where it counts; shows the form
   * again with the problem when the service refuses it, and 404 for a session or commune outside her area.
   */
  const save = async (request: FastifyRequest, reply: FastifyReply, changing: string | null) => {
    const access = await guard(request, reply, "sessions:write");
    if (access === undefined) return reply;
    const form = formOf(request);
    if (!(await checkCsrf(request, reply, access.session, access.context, formValue(form, csrfFieldName)))) return reply;
    const { principal } = access.session;
    const words = consoleText(access.context.locale).sessionForm;
    const { values, input, errors } = readForm(form, access.context);
    const again = (problems: Partial<Record<SessionFormField, string>>) => formPage(reply, 400, access.context, principal, provinceOf(request, values.communeCode), values, problems, changing);
    if (input === null) return again(errors);
    try {
      const session = changing === null ? await sessions.record(principal, input) : await sessions.change(principal, changing, input);
      const notice = changing === null ? "saved" : "changed";
      return reply.code(303).header("location", `${consoleUrls.stats}/${session.provinceCode}/${session.communeCode}?period=${halfOf(session.heldOn).name}&${notice}=${session.heldOn}#sessions-title`).send();
    } catch (error) {
      if (error instanceof StaffError && error.code === "staff:not-found") return html(reply, 404, renderErrorPage({ context: access.context, status: 404, reference: null }));
      if (error instanceof StatsError && error.code === "stats:unknown-commune") return again({ communeCode: words.communeMissing });
      if (error instanceof StatsError && error.code === "stats:invalid-session") return again({ heldOn: words.heldOnInvalid });
      throw error;
    }
  };

  scope.post(url, async (request, reply) => save(request, reply, null));

  /** The sessions of a commune or a province (`?place=`) in a period, newest first; 404 for a place outside her area. */
  scope.get(base, async (request, reply) => {
    const access = await guard(request, reply, "stats:read");
    if (access === undefined) return reply;
    const { principal } = access.session;
    const { locale } = access.context;
    const places = deps.places();
    const place = places.find(queryValue(request, "place"));
    const notFound = () => html(reply, 404, renderErrorPage({ context: access.context, status: 404, reference: null }));
    if (place === undefined) return notFound();
    const provinceCode = place.provinceCode ?? place.code;
    const communeCode = place.provinceCode === null ? undefined : place.code;
    const period = periodAsked(queryValue(request, "period"), deps.now());
    if (!canSeePlace(principal, { provinceCode, communeCode: communeCode ?? null })) return notFound();
    const found = await sessions.list(principal, { period: period.key, provinceCode, ...(communeCode === undefined ? {} : { communeCodes: [communeCode] }) });
    const text = consoleText(locale);
    const topicNames: Record<string, string> = { ...text.topics, ...text.stats.sessionTopics };
    const mayWrite = hasPermission(principal, "sessions:write");
    return html(
      reply,
      200,
      renderOutreachSessionListPage({
        context: access.context,
        placeName: place.provinceCode === null ? place.name : places.displayName(place),
        periodLabel: periodLabel(period, locale),
        notice: sessionNotice(locale, "removed", queryValue(request, "removed")),
        sessions: found.map((session) => {
          const commune = places.find(session.communeCode);
          return {
            heldOn: session.heldOn,
            communeName: commune === undefined ? session.communeCode : places.displayName(commune),
            placeName: session.placeName,
            topicName: topicNames[session.topic] ?? session.topic,
            female: session.participantsFemale,
            male: session.participantsMale,
            editUrl: mayWrite && canManagePlace(principal, { provinceCode: session.provinceCode, communeCode: session.communeCode }) ? `${base}/${encodeURIComponent(session.id)}` : null,
          };
        }),
        recordUrl: mayWrite ? `${url}?${communeCode === undefined ? `province=${provinceCode}` : `commune=${communeCode}`}` : null,
        backUrl: `${consoleUrls.stats}/${communeCode === undefined ? provinceCode : `${provinceCode}/${communeCode}`}?period=${encodeURIComponent(period.name)}`,
      }),
    );
  });

  /** The form filled in with a recorded session, to change or remove it. */
  scope.get<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) => {
    const access = await guard(request, reply, "sessions:write");
    if (access === undefined) return reply;
    const { principal } = access.session;
    const session = await sessions.get(principal, request.params.id).catch((error: unknown) => {
      if (error instanceof StaffError && error.code === "staff:not-found") return undefined;
      throw error;
    });
    if (session === undefined || !canManagePlace(principal, { provinceCode: session.provinceCode, communeCode: session.communeCode })) {
      return html(reply, 404, renderErrorPage({ context: access.context, status: 404, reference: null }));
    }
    return formPage(reply, 200, access.context, principal, session.provinceCode, valuesOf(session), {}, session.id);
  });

  scope.post<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) => save(request, reply, request.params.id));

  /** Removes a recorded session and lands on the list of its commune's sessions for its half-year. */
  scope.post<{ Params: { id: string } }>(`${base}/:id/remove`, async (request, reply) => {
    const access = await guard(request, reply, "sessions:write");
    if (access === undefined) return reply;
    const form = formOf(request);
    if (!(await checkCsrf(request, reply, access.session, access.context, formValue(form, csrfFieldName)))) return reply;
    const { principal } = access.session;
    try {
      const session = await sessions.get(principal, request.params.id);
      await sessions.remove(principal, session.id);
      return reply.code(303).header("location", `${base}?place=${session.communeCode}&period=${halfOf(session.heldOn).name}&removed=${session.heldOn}`).send();
    } catch (error) {
      if (error instanceof StaffError && error.code === "staff:not-found") return html(reply, 404, renderErrorPage({ context: access.context, status: 404, reference: null }));
      throw error;
    }
  });
}
