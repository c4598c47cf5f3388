import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { consoleText } from "../../console/console-locale.ts";
import { renderErrorPage } from "../../console/error-pages.ts";
import { renderOutreachSessionFormPage } from "../../console/outreach-session-form-page.ts";
import type { SessionFormField, SessionFormValues } from "../../console/stats-view-models.ts";
import type { CommuneChoice, SignedInContext } from "../../console/view-models.ts";
import { StaffError } from "../../staff/staff-error.ts";
import { canManagePlace, type StaffPrincipal } from "../../staff/staff-principal.ts";
import { outreachSessionInputSchema, sessionTopics, type OutreachSessions } from "../../stats/outreach-sessions.ts";
import { periodKeyOf, parsePeriod } from "../../stats/periods.ts";
import { StatsError } from "../../stats/stats-error.ts";
import { csrfFieldName } from "../staff-auth.ts";
import type { ConsolePageKit } from "./console-directory-pages.ts";
import { consoleUrls, formOf, formValue, queryValue } from "./console-request.ts";

const emptyForm: SessionFormValues = { heldOn: "", communeCode: "", topic: "", placeName: "", participantsFemale: "", participantsMale: "", note: "" };

/** A count as typed, or NaN for anything but digits, which the session schema then refuses. */
function countOf(text: string): number {
  return /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

/**
 * The console form that records an in-person session (cuộc) for a commune of her area, through the sessions
 * service, which checks the area again and audits the change. After saving she lands on the commune's
 * statistics for the half-year of the session, where it is counted.
 */
export function registerSessionPages(scope: FastifyInstance, kit: ConsolePageKit, sessions: OutreachSessions, url: string): void {
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

  const formPage = (reply: FastifyReply, status: number, context: SignedInContext, principal: StaffPrincipal, provinceCode: string, values: SessionFormValues, errors: Partial<Record<SessionFormField, string>>) => {
    const text = consoleText(context.locale);
    const sessionTopicNames: Record<string, string> = { ...text.topics, ...text.stats.sessionTopics };
    return html(
      reply,
      status,
      renderOutreachSessionFormPage({
        context,
        action: provinceCode === "" ? url : `${url}?province=${encodeURIComponent(provinceCode)}`,
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

  scope.post(url, async (request, reply) => {
    const access = await guard(request, reply, "sessions:write");
    if (access === undefined) return reply;
    const form = formOf(request);
    if (!(await checkCsrf(request, reply, access.session, access.context, formValue(form, csrfFieldName)))) return reply;
    const { principal } = access.session;
    const words = consoleText(access.context.locale).sessionForm;
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
    if (!parsed.success) {
      const errors: Partial<Record<SessionFormField, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = Object.keys(messages).find((name): name is SessionFormField => name === issue.path[0]);
        if (field !== undefined) errors[field] ??= issue.code === "custom" ? words.nobody : messages[field];
      }
      return formPage(reply, 400, access.context, principal, provinceOf(request, values.communeCode), values, errors);
    }
    try {
      const session = await sessions.record(principal, parsed.data);
      const half = parsePeriod(periodKeyOf("half", parsePeriod(session.heldOn).start));
      return reply.code(303).header("location", `${consoleUrls.stats}/${session.provinceCode}/${session.communeCode}?period=${half.name}&saved=${session.heldOn}#sessions-title`).send();
    } catch (error) {
      if (error instanceof StaffError && error.code === "staff:not-found") return html(reply, 404, renderErrorPage({ context: access.context, status: 404, reference: null }));
      if (error instanceof StatsError && error.code === "stats:unknown-commune") return formPage(reply, 400, access.context, principal, provinceOf(request, values.communeCode), values, { communeCode: words.communeMissing });
      if (error instanceof StatsError && error.code === "stats:invalid-session") return formPage(reply, 400, access.context, principal, provinceOf(request, values.communeCode), values, { heldOn: words.heldOnInvalid });
      throw error;
    }
  });
}
