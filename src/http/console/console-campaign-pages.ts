import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { campaignCalendarFile, loadCampaignCalendar, type CampaignTemplate } from "../../campaigns/campaign-calendar.ts";
import { campaignResults, followUpDays } from "../../campaigns/campaign-results.ts";
import type { CampaignView } from "../../campaigns/campaign-service.ts";
import { campaignRecurrenceSchema, localTimeSchema, type CampaignAudience, type CampaignRecurrence } from "../../campaigns/campaign-spec.ts";
import { WrittenTextError } from "../../campaigns/written-text-check.ts";
import { renderCampaignDetailPage, renderCampaignFormPage, renderCampaignListPage } from "../../console/campaign-pages.ts";
import { consoleText, fillText } from "../../console/console-locale.ts";
import { renderErrorPage } from "../../console/error-pages.ts";
import type { CampaignActions, CampaignCommuneChoice, CampaignFormField, CampaignFormValues, CampaignPreviewView, NamedText, PlaceChoice, SignedInContext } from "../../console/view-models.ts";
import { telegramChannel } from "../../channels/telegram/telegram-adapter.ts";
import { zaloBotChannel } from "../../channels/zalo-bot/zalo-bot-api.ts";
import { zaloOaChannel } from "../../channels/zalo-oa/zalo-oa-send-error.ts";
import { topicSchema } from "../../engine/flow-schema.ts";
import { StaffError } from "../../staff/staff-error.ts";
import { canManagePlace, type StaffPrincipal } from "../../staff/staff-principal.ts";
import { csrfFieldName, type StaffAuthentication } from "../staff-auth.ts";
import { formContent, problemText, textErrors } from "./campaign-form-content.ts";
import type { ConsolePageKit } from "./console-directory-pages.ts";
import { consoleUrls, formOf, formValue, formValues, queryValue, type FormBody } from "./console-request.ts";

type Session = Extract<StaffAuthentication, { kind: "session" }>;

/** The platforms a campaign can be limited to, by their channel ids; their names are the same in every language. */
const channelChoices = [
  { code: telegramChannel, name: "Telegram" },
  { code: zaloOaChannel, name: "Zalo OA" },
  { code: zaloBotChannel, name: "Zalo Bot" },
];

/** Viet Nam is UTC+7 all year (no daylight saving), so its wall time is a fixed shift. */
const vietNamOffsetMs = 7 * 3_600_000;

/** A moment as Viet Nam's wall clock reads it, "YYYY-MM-DDTHH:MM", the value of a datetime-local input. */
function vietNamLocalTime(at: Date): string {
  return new Date(at.getTime() + vietNamOffsetMs).toISOString().slice(0, 16);
}

/** A moment in Viet Nam time as staff write it: "01/06/2026 08:00". */
function vietNamDisplayTime(at: Date): string {
  const [date = "", time = ""] = vietNamLocalTime(at).split("T");
  const [year, month, day] = date.split("-");
  return `${day}/${month}/${year} ${time}`;
}

/** A datetime-local value read as Viet Nam time; undefined when it is not one. */
function parseVietNamLocalTime(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  const at = new Date(`${value}:00+07:00`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** Tomorrow at 08:00 in Viet Nam: where the schedule form starts. */
function tomorrowMorning(now: Date): string {
  return `${vietNamLocalTime(new Date(now.getTime() + 86_400_000)).slice(0, 10)}T08:00`;
}

const twoDigits = (value: number) => String(value).padStart(2, "0");

function templateDates(template: CampaignTemplate): string {
  const day = (at: CampaignTemplate["from"]) => `${twoDigits(at.day)}/${twoDigits(at.month)}`;
  return template.from.day === template.to.day && template.from.month === template.to.month ? day(template.from) : `${day(template.from)}–${day(template.to)}`;
}

const emptyForm: CampaignFormValues = { province: "", name: "", template: "", keys: [], texts: {}, topic: "", communes: [], languages: [], channels: [], quietStart: "21:00", quietEnd: "07:00" };

/** The actions a POST may name, each a method of the campaign service taking only the campaign. */
const simpleActions = ["submit", "approve", "reject", "pause", "resume", "cancel"] as const;
type SimpleAction = (typeof simpleActions)[number];

/**
 * The campaign pages of the console: the list, the draft form with its server-side preview, one campaign's
 * progress and results, and its actions (submit, approve or reject, schedule, pause, resume, cancel), each
 * shown only when the campaign service would allow it and each refused by the service if not.
 */
export function registerCampaignPages(scope: FastifyInstance, kit: ConsolePageKit): void {
  const { deps, html, guard, checkCsrf, communeName } = kit;
  const { services } = deps;
  let calendar: Promise<CampaignTemplate[]> | undefined;
  const templates = () => {
    calendar ??= loadCampaignCalendar(campaignCalendarFile(services.contentDir));
    return calendar;
  };
  const languageName = (code: string) => deps.languages().find((language) => language.code === code)?.name ?? code;
  const accountName = async (id: string) => (await services.db.staffAccount.findUnique({ where: { id } }))?.displayName ?? id;
  const errorPage = (reply: FastifyReply, context: SignedInContext, status: 403 | 404) => html(reply, status, renderErrorPage({ context, status, reference: null }));

  /** The provinces with at least one commune she may target: a team's own province, an officer's, all for an admin. */
  const provinceChoices = (principal: StaffPrincipal): PlaceChoice[] =>
    deps
      .places()
      .provinces.filter((province) => deps.places().communesOf(province.code).some((commune) => canManagePlace(principal, { provinceCode: province.code, communeCode: commune.code })))
      .map((province) => ({ code: province.code, name: province.name }));
  /** The province the form lists communes of: the one asked for if she may target it, her only one, or none yet. */
  const chosenProvince = (principal: StaffPrincipal, asked: string): string => {
    const choices = provinceChoices(principal);
    if (choices.some((province) => province.code === asked)) return asked;
    return choices.length === 1 ? (choices[0]?.code ?? "") : "";
  };
  /**
   * The communes of the chosen province she may target (a team: only its own), each with how many people Loa can
   * reach there now, counted as the audience counts them; 0 is shown too, so she sees where nobody is reached yet.
   */
  const communeChoices = async (principal: StaffPrincipal, provinceCode: string): Promise<CampaignCommuneChoice[]> => {
    if (provinceCode === "") return [];
    const communes = deps
      .places()
      .communesOf(provinceCode)
      .filter((commune) => canManagePlace(principal, { provinceCode, communeCode: commune.code }));
    const counts = await services.db.contact.groupBy({
      by: ["communeCode"],
      where: { communeCode: { in: communes.map((commune) => commune.code) }, consentedAt: { not: null }, stoppedAt: null },
      _count: { _all: true },
    });
    const reachable = new Map(counts.map((row) => [row.communeCode, row._count._all]));
    return communes.map((commune) => ({ code: commune.code, name: deps.places().displayName(commune), reachable: reachable.get(commune.code) ?? 0 }));
  };
  /** The languages a campaign's text may be written in: those offered to people, Vietnamese first. */
  const textLanguages = () => {
    const offered = deps.languages().map((language) => ({ code: language.code, name: language.name }));
    return [...offered.filter((language) => language.code === "vi"), ...offered.filter((language) => language.code !== "vi")];
  };
  /** Written texts under their languages' names, in the order of the form. */
  const namedTexts = (texts: Readonly<Record<string, string>>): NamedText[] => {
    const known = textLanguages().map((language) => language.code);
    const order = [...known.filter((code) => code in texts), ...Object.keys(texts).filter((code) => !known.includes(code))];
    return order.map((code) => ({ language: languageName(code), text: texts[code] ?? "" }));
  };
  /** The introduction of each programme topic, offered beside the templates and named after the topic. */
  const keyChoices = async (context: SignedInContext) => {
    const text = consoleText(context.locale);
    const keys = new Set((await services.coverage()).keys);
    return topicSchema.options.filter((topic) => keys.has(`${topic}:intro`)).map((topic) => ({ key: `${topic}:intro`, label: text.topics[topic] }));
  };

  const formPage = async (reply: FastifyReply, status: number, access: { session: Session; context: SignedInContext }, values: CampaignFormValues, errors: Partial<Record<CampaignFormField, string>>, preview: CampaignPreviewView | null) =>
    html(
      reply,
      status,
      renderCampaignFormPage({
        context: access.context,
        action: `${consoleUrls.campaigns}/new`,
        cancelUrl: consoleUrls.campaigns,
        values,
        errors,
        templates: (await templates()).map((template) => ({ id: template.id, name: template.name[access.context.locale], dates: templateDates(template), keys: template.keys, note: template.note })),
        keyChoices: await keyChoices(access.context),
        provinceChoices: provinceChoices(access.session.principal),
        textLanguages: textLanguages(),
        topicChoices: topicSchema.options.map((topic) => ({ topic, name: consoleText(access.context.locale).topics[topic] })),
        communeChoices: await communeChoices(access.session.principal, values.province),
        languageChoices: deps.languages().map((language) => ({ code: language.code, name: language.name })),
        channelChoices,
        preview,
      }),
    );

  scope.get(consoleUrls.campaigns, async (request, reply) => {
    const access = await guard(request, reply, "campaigns:write");
    if (access === undefined) return reply;
    const campaigns = await services.campaigns.list(access.session.principal);
    const counts = await services.db.campaignDelivery.groupBy({ by: ["campaignId", "status"], where: { campaignId: { in: campaigns.map((campaign) => campaign.id) } }, _count: { _all: true } });
    const progressOf = (id: string) => {
      const rows = counts.filter((row) => row.campaignId === id);
      const total = rows.reduce((sum, row) => sum + row._count._all, 0);
      const pending = rows.filter((row) => row.status === "pending" || row.status === "sending").reduce((sum, row) => sum + row._count._all, 0);
      return { done: total - pending, total };
    };
    return html(
      reply,
      200,
      renderCampaignListPage({
        context: access.context,
        campaigns: campaigns.map((campaign) => ({
          name: campaign.name,
          status: campaign.status,
          startsAt: campaign.startsAt === null ? null : vietNamDisplayTime(campaign.startsAt),
          progress: progressOf(campaign.id),
          url: `${consoleUrls.campaigns}/${encodeURIComponent(campaign.id)}`,
        })),
        newCampaignUrl: `${consoleUrls.campaigns}/new`,
      }),
    );
  });

  scope.get(`${consoleUrls.campaigns}/new`, async (request, reply) => {
    const access = await guard(request, reply, "campaigns:write");
    if (access === undefined) return reply;
    return formPage(reply, 200, access, { ...emptyForm, province: chosenProvince(access.session.principal, queryValue(request, "province")) }, {}, null);
  });

  scope.post(`${consoleUrls.campaigns}/new`, async (request, reply) => {
    const access = await guard(request, reply, "campaigns:write");
    if (access === undefined) return reply;
    const form = formOf(request);
    if (!(await checkCsrf(request, reply, access.session, access.context, formValue(form, csrfFieldName)))) return reply;
    const words = consoleText(access.context.locale).campaigns;
    const { principal } = access.session;
    const values: CampaignFormValues = {
      province: chosenProvince(principal, formValue(form, "province")),
      name: formValue(form, "name").trim().slice(0, 120),
      template: formValue(form, "template"),
      keys: formValues(form, "keys"),
      texts: Object.fromEntries(textLanguages().map((language) => [language.code, formValue(form, `text-${language.code}`)])),
      topic: formValue(form, "topic"),
      communes: formValues(form, "communes"),
      languages: formValues(form, "languages"),
      channels: formValues(form, "channels"),
      quietStart: formValue(form, "quietStart").trim(),
      quietEnd: formValue(form, "quietEnd").trim(),
    };
    const template = (await templates()).find((candidate) => candidate.id === values.template);
    const offered = new Set([...(await keyChoices(access.context)).map((choice) => choice.key), ...(template?.keys ?? [])]);
    const keys = [...new Set([...(template?.keys ?? []), ...values.keys])].filter((key) => offered.has(key));
    const errors: Partial<Record<CampaignFormField, string>> = {};
    const saving = formValue(form, "intent") === "save";
    const { content, writing } = formContent(values, keys, words, errors);
    if (saving && values.name === "") errors.name = words.nameMissing;
    if (saving && keys.length === 0 && !writing) errors.content = words.contentMissing;
    if (keys.length > 0 && writing) errors.content = words.contentBoth;
    if (keys.length > 8) errors.content = fillText(words.contentTooMany, { count: 8 });
    if (values.communes.length === 0) errors.communes = words.communesMissing;
    if (!localTimeSchema.safeParse(values.quietStart).success) errors.quietStart = words.timeInvalid;
    if (!localTimeSchema.safeParse(values.quietEnd).success) errors.quietEnd = words.timeInvalid;
    if (Object.keys(errors).length > 0) return formPage(reply, 400, access, values, errors, null);
    const audience: CampaignAudience = {
      communeCodes: values.communes,
      ...(values.languages.length === 0 ? {} : { locales: values.languages }),
      ...(values.channels.length === 0 ? {} : { channels: values.channels }),
    };
    const refused = (error: unknown) => {
      if (!(error instanceof StaffError)) throw error;
      if (error instanceof WrittenTextError) return formPage(reply, 400, access, values, textErrors(words, error.problems), null);
      const message = error.code === "staff:scope-invalid" ? words.communesOneProvince : words.communesOutside;
      return formPage(reply, error.code === "staff:forbidden" ? 403 : 400, access, values, { communes: message }, null);
    };
    try {
      if (!saving) {
        const preview = await services.campaigns.preview(principal, audience);
        const named = (counts: Record<string, number>, name: (code: string) => string) => Object.entries(counts).map(([code, count]) => ({ name: name(code), count }));
        return formPage(reply, 200, access, values, {}, {
          recipients: preview.recipients,
          byLanguage: named(preview.byLocale, languageName),
          byChannel: named(preview.byChannel, (code) => channelChoices.find((channel) => channel.code === code)?.name ?? code),
          texts: "texts" in content ? namedTexts(content.texts) : [],
        });
      }
      const created = await services.campaigns.create(principal, { name: values.name, content, audience, quietStart: values.quietStart, quietEnd: values.quietEnd });
      return reply.code(303).header("location", `${consoleUrls.campaigns}/${encodeURIComponent(created.id)}`).send();
    } catch (error) {
      return refused(error);
    }
  });

  /** Which actions the service would allow her now, as the URLs of their forms. */
  const actionsFor = async (principal: StaffPrincipal, campaign: CampaignView): Promise<CampaignActions> => {
    const url = (action: string) => `${consoleUrls.campaigns}/${encodeURIComponent(campaign.id)}/${action}`;
    const team = campaign.teamId === null ? null : await services.db.staffTeam.findUnique({ where: { id: campaign.teamId } });
    const mayApprove =
      principal.role === "admin" ||
      (principal.role === "province" && principal.provinces.includes(campaign.provinceCode)) ||
      (principal.role === "commune" && campaign.teamId !== null && campaign.teamId === principal.teamId && team?.selfApprove === true);
    const when = (allowed: boolean, action: string) => (allowed ? url(action) : null);
    const status = campaign.status;
    return {
      submit: when(status === "draft" || status === "rejected", "submit"),
      approve: when(status === "submitted" && mayApprove, "approve"),
      reject: when(status === "submitted" && mayApprove, "reject"),
      schedule: when(status === "approved", "schedule"),
      pause: when(status === "running" || status === "approved", "pause"),
      resume: when(status === "paused", "resume"),
      cancel: when(["draft", "submitted", "approved", "running", "paused"].includes(status), "cancel"),
    };
  };

  const detailPage = async (reply: FastifyReply, status: number, access: { session: Session; context: SignedInContext }, campaign: CampaignView, done: keyof CampaignActions | null, problem: string | null) => {
    const results = await campaignResults(services.db, campaign.id);
    const named = (counts: Record<string, number>, name: (code: string) => string) =>
      Object.entries(counts)
        .map(([code, count]) => ({ name: name(code), count }))
        .sort((left, right) => right.count - left.count);
    return html(
      reply,
      status,
      renderCampaignDetailPage({
        context: access.context,
        listUrl: consoleUrls.campaigns,
        campaign: {
          name: campaign.name,
          status: campaign.status,
          keys: "keys" in campaign.content ? campaign.content.keys : [],
          texts: "texts" in campaign.content ? namedTexts(campaign.content.texts) : [],
          topic: "texts" in campaign.content && campaign.content.topic !== undefined ? consoleText(access.context.locale).topics[campaign.content.topic] : null,
          communes: campaign.audience.communeCodes.map(communeName),
          languages: (campaign.audience.locales ?? []).map(languageName),
          channels: (campaign.audience.channels ?? []).map((code) => channelChoices.find((channel) => channel.code === code)?.name ?? code),
          quietStart: campaign.quietStart,
          quietEnd: campaign.quietEnd,
          startsAt: campaign.startsAt === null ? null : vietNamDisplayTime(campaign.startsAt),
          recurrence: campaign.recurrence,
          createdBy: await accountName(campaign.createdBy),
          approvedBy: campaign.approvedBy === null ? null : await accountName(campaign.approvedBy),
        },
        results: {
          byStatus: results.byStatus,
          byReason: Object.entries(results.byReason)
            .map(([reason, count]) => ({ reason, count }))
            .sort((left, right) => right.count - left.count),
          reach: { people: results.reach.people, byCommune: named(results.reach.byCommune, communeName), byLanguage: named(results.reach.byLocale, languageName) },
          followedUp: results.followedUp,
          followUpDays,
        },
        actions: await actionsFor(access.session.principal, campaign),
        done,
        problem,
        scheduleStart: tomorrowMorning(deps.now()),
      }),
    );
  };

  /** The campaign she asked for, or undefined after answering 404 when there is none she may see. */
  const campaignOf = async (reply: FastifyReply, access: { session: Session; context: SignedInContext }, id: string): Promise<CampaignView | undefined> => {
    try {
      return await services.campaigns.get(access.session.principal, id);
    } catch (error) {
      if (!(error instanceof StaffError) || error.code !== "staff:not-found") throw error;
      await errorPage(reply, access.context, 404);
      return undefined;
    }
  };

  scope.get<{ Params: { id: string } }>(`${consoleUrls.campaigns}/:id`, async (request, reply) => {
    const access = await guard(request, reply, "campaigns:write");
    if (access === undefined) return reply;
    const campaign = await campaignOf(reply, access, request.params.id);
    if (campaign === undefined) return reply;
    const done = queryValue(request, "done");
    const doneAction = done === "schedule" ? done : simpleActions.find((action) => action === done);
    return detailPage(reply, 200, access, campaign, doneAction ?? null, null);
  });

  /** Reads the schedule form: its start in Viet Nam time and its repeat; undefined when it is not valid. */
  const scheduleOf = (form: FormBody): { startsAt: Date; recurrence: CampaignRecurrence | null } | undefined => {
    const startsAt = parseVietNamLocalTime(formValue(form, "startsAt"));
    if (startsAt === undefined) return undefined;
    const every = formValue(form, "every");
    if (every === "") return { startsAt, recurrence: null };
    const recurrence = campaignRecurrenceSchema.safeParse({ every, count: Number(formValue(form, "count")) });
    return recurrence.success ? { startsAt, recurrence: recurrence.data } : undefined;
  };

  const act = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, action: SimpleAction | "schedule") => {
    const access = await guard(request, reply, "campaigns:write");
    if (access === undefined) return reply;
    const form = formOf(request);
    if (!(await checkCsrf(request, reply, access.session, access.context, formValue(form, csrfFieldName)))) return reply;
    const campaign = await campaignOf(reply, access, request.params.id);
    if (campaign === undefined) return reply;
    const { principal } = access.session;
    const words = consoleText(access.context.locale).campaigns;
    try {
      if (action === "schedule") {
        const schedule = scheduleOf(form);
        if (schedule === undefined) return await detailPage(reply, 400, access, campaign, null, words.scheduleInvalid);
        await services.campaigns.schedule(principal, campaign.id, schedule.startsAt, schedule.recurrence);
      } else {
        await services.campaigns[action](principal, campaign.id);
      }
    } catch (error) {
      if (!(error instanceof StaffError)) throw error;
      if (error.code === "staff:forbidden") return errorPage(reply, access.context, 403);
      if (error instanceof WrittenTextError) {
        const problems = error.problems.map((problem) => `${languageName(problem.locale)}: ${problemText(words, problem)}`).join(" ");
        return detailPage(reply, 400, access, campaign, null, fillText(words.textRefused, { problems }));
      }
      if (error.code !== "staff:wrong-state") throw error;
      const now = await services.campaigns.get(principal, campaign.id);
      return detailPage(reply, 409, access, now, null, fillText(words.wrongState, { status: words.statuses[now.status] }));
    }
    return reply.code(303).header("location", `${consoleUrls.campaigns}/${encodeURIComponent(campaign.id)}?done=${action}`).send();
  };

  const postActions: ReadonlyArray<SimpleAction | "schedule"> = [...simpleActions, "schedule"];
  for (const action of postActions) {
    scope.post<{ Params: { id: string } }>(`${consoleUrls.campaigns}/:id/${action}`, async (request, reply) => act(request, reply, action));
  }
}
