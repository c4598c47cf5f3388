import { z } from "zod";
import { campaignResults } from "../../campaigns/campaign-results.ts";
import type { CampaignService, CampaignView } from "../../campaigns/campaign-service.ts";
import { campaignAudienceSchema, campaignContentSchema, campaignRecurrenceSchema, campaignStatuses, localTimeSchema } from "../../campaigns/campaign-spec.ts";
import { describeWrittenTextProblem, WrittenTextError } from "../../campaigns/written-text-check.ts";
import { StaffError } from "../../staff/staff-error.ts";
import type { DatabaseClient } from "../../store/database.ts";
import { ApiError } from "../api/api-error.ts";
import { defineApiRoute, type ApiRoute } from "../api/api-route.ts";
import { principalOf } from "./staff-access.ts";

const campaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(campaignStatuses),
    provinceCode: z.string(),
    teamId: z.string().nullable(),
    content: campaignContentSchema,
    audience: campaignAudienceSchema,
    startsAt: z.iso.datetime().nullable(),
    recurrence: campaignRecurrenceSchema.nullable(),
    quietStart: z.string(),
    quietEnd: z.string(),
    runNumber: z.number().int(),
  })
  .meta({ id: "Campaign" });

const countsSchema = z.record(z.string(), z.number().int());

const resultsSchema = z
  .object({
    byStatus: z.object({ pending: z.number().int(), sending: z.number().int(), sent: z.number().int(), failed: z.number().int(), skipped: z.number().int() }),
    byReason: countsSchema,
    reach: z.object({ people: z.number().int(), byCommune: countsSchema, byLocale: countsSchema }),
    followedUp: z.number().int().describe("people who opened a module or answered a quiz within 7 days"),
  })
  .meta({ id: "CampaignResults" });

function body(view: CampaignView): z.input<typeof campaignSchema> {
  return { ...view, startsAt: view.startsAt?.toISOString() ?? null };
}

/** A refusal from the campaign service, in the API's error shape. */
function asApiError(error: unknown): never {
  if (!(error instanceof StaffError)) throw error;
  if (error.code === "staff:not-found") throw new ApiError("not_found", "No campaign with this id that you may see.");
  if (error.code === "staff:forbidden") throw new ApiError("forbidden", error.message);
  if (error.code === "staff:wrong-state") throw new ApiError("conflict", error.message);
  if (error instanceof WrittenTextError) {
    const details = error.problems.map((problem) => ({ location: "body" as const, path: `content.texts.${problem.locale}`, message: describeWrittenTextProblem(problem) }));
    throw new ApiError("invalid_request", "The campaign's text cannot be used: it names a language Loa does not know, a number outside the help directory of its communes, or a link.", { details });
  }
  throw new ApiError("invalid_request", error.message, { details: [{ location: "body", path: "audience", message: error.message }] });
}

const idParams = z.object({ id: z.string().max(60) });

/** Campaigns: create, preview the audience, submit, approve or reject, schedule, pause, resume, cancel, results. */
export function campaignRoutes(deps: { campaigns: CampaignService; db: DatabaseClient }): ApiRoute[] {
  const { campaigns } = deps;
  const action = (name: "submit" | "approve" | "reject" | "pause" | "resume" | "cancel", summary: string) =>
    defineApiRoute({
      method: "POST",
      path: `/api/campaigns/:id/${name}`,
      summary,
      tags: ["campaigns"],
      access: { kind: "staff", permission: "campaigns:write" },
      input: { params: idParams },
      responses: { 200: campaignSchema },
      errors: ["not_found", "conflict"],
      handler: async ({ params }, { request }) => ({ status: 200, body: body(await campaigns[name](principalOf(request), params.id).catch(asApiError)) }),
    });
  return [
    defineApiRoute({
      method: "GET",
      path: "/api/campaigns",
      summary: "Campaigns you may see, newest first",
      tags: ["campaigns"],
      access: { kind: "staff", permission: "campaigns:write" },
      input: {},
      responses: { 200: z.object({ campaigns: z.array(campaignSchema) }) },
      handler: async (_input, { request }) => ({ status: 200, body: { campaigns: (await campaigns.list(principalOf(request))).map(body) } }),
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/campaigns",
      summary: "Draft a campaign for communes of your area",
      description:
        "Content is either library keys or text written per locale code (vi required). Written text may state only numbers of the help directory its communes see (national numbers, and entries of its province and communes), and no links; it is checked now and again when submitted.",
      tags: ["campaigns"],
      access: { kind: "staff", permission: "campaigns:write" },
      input: {
        body: z
          .object({ name: z.string().min(1).max(120), content: campaignContentSchema, audience: campaignAudienceSchema, quietStart: localTimeSchema.optional(), quietEnd: localTimeSchema.optional() })
          .strict(),
      },
      responses: { 201: campaignSchema },
      handler: async ({ body: draft }, { request }) => {
        const created = await campaigns
          .create(principalOf(request), {
            name: draft.name,
            content: draft.content,
            audience: draft.audience,
            ...(draft.quietStart === undefined ? {} : { quietStart: draft.quietStart }),
            ...(draft.quietEnd === undefined ? {} : { quietEnd: draft.quietEnd }),
          })
          .catch(asApiError);
        return { status: 201, body: body(created) };
      },
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/campaigns/preview",
      summary: "How many people an audience reaches now, by language and channel",
      tags: ["campaigns"],
      access: { kind: "staff", permission: "campaigns:write" },
      input: { body: campaignAudienceSchema },
      responses: { 200: z.object({ recipients: z.number().int(), byLocale: countsSchema, byChannel: countsSchema }) },
      handler: async ({ body: audience }, { request }) => ({ status: 200, body: await campaigns.preview(principalOf(request), audience).catch(asApiError) }),
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/campaigns/:id",
      summary: "One campaign and its progress and results",
      tags: ["campaigns"],
      access: { kind: "staff", permission: "campaigns:write" },
      input: { params: idParams },
      responses: { 200: z.object({ campaign: campaignSchema, results: resultsSchema }) },
      errors: ["not_found"],
      handler: async ({ params }, { request }) => {
        const campaign = await campaigns.get(principalOf(request), params.id).catch(asApiError);
        return { status: 200, body: { campaign: body(campaign), results: await campaignResults(deps.db, campaign.id) } };
      },
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/campaigns/:id/schedule",
      summary: "Schedule an approved campaign, once or repeating",
      tags: ["campaigns"],
      access: { kind: "staff", permission: "campaigns:write" },
      input: { params: idParams, body: z.object({ startsAt: z.iso.datetime({ offset: true }), recurrence: campaignRecurrenceSchema.nullable().default(null) }).strict() },
      responses: { 200: campaignSchema },
      errors: ["not_found", "conflict"],
      handler: async ({ params, body: schedule }, { request }) => ({
        status: 200,
        body: body(await campaigns.schedule(principalOf(request), params.id, new Date(schedule.startsAt), schedule.recurrence).catch(asApiError)),
      }),
    }),
    action("submit", "Submit a draft for approval; written text is checked against the help directory again"),
    action("approve", "Approve a submitted campaign (province officers of its province, admins, or a team an admin allows)"),
    action("reject", "Send a submitted campaign back"),
    action("pause", "Pause sending"),
    action("resume", "Resume sending"),
    action("cancel", "Cancel; deliveries not yet sent are skipped"),
  ];
}
