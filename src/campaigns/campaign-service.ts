import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DirectoryEntry } from "../directory/directory-entry.ts";
import type { PlaceLookup } from "../engine/place-lookup.ts";
import type { AuditLog } from "../staff/audit-log.ts";
import { StaffError } from "../staff/staff-error.ts";
import { canManagePlace, canSeePlace, hasPermission, type StaffPrincipal } from "../staff/staff-principal.ts";
import type { DatabaseClient } from "../store/database.ts";
import { findRecipients } from "./audience.ts";
import {
  campaignStatuses,
  campaignAudienceSchema,
  campaignContentSchema,
  campaignRecurrenceSchema,
  type CampaignAudience,
  type CampaignContent,
  type CampaignRecurrence,
  type CampaignStatus,
} from "./campaign-spec.ts";
import { writtenTextProblems, WrittenTextError } from "./written-text-check.ts";

/** A campaign as staff see it. */
export type CampaignView = {
  id: string;
  name: string;
  status: CampaignStatus;
  provinceCode: string;
  teamId: string | null;
  createdBy: string;
  content: CampaignContent;
  audience: CampaignAudience;
  startsAt: Date | null;
  recurrence: CampaignRecurrence | null;
  quietStart: string;
  quietEnd: string;
  runNumber: number;
  approvedBy: string | null;
};

/** What a draft holds; the same shape creates and changes one. */
export type CampaignDraft = { name: string; content: CampaignContent; audience: CampaignAudience; quietStart?: string; quietEnd?: string };

const campaignStatusSchema = z.enum(campaignStatuses);

type CampaignRow = Awaited<ReturnType<DatabaseClient["campaign"]["findUniqueOrThrow"]>>;

function viewOf(row: CampaignRow): CampaignView {
  return {
    id: row.id,
    name: row.name,
    status: campaignStatusSchema.parse(row.status),
    provinceCode: row.provinceCode,
    teamId: row.teamId,
    createdBy: row.createdBy,
    content: campaignContentSchema.parse(JSON.parse(row.content)),
    audience: campaignAudienceSchema.parse(JSON.parse(row.audience)),
    startsAt: row.startsAt,
    recurrence: row.recurrence === null ? null : campaignRecurrenceSchema.parse(JSON.parse(row.recurrence)),
    quietStart: row.quietStart,
    quietEnd: row.quietEnd,
    runNumber: row.runNumber,
    approvedBy: row.approvedBy,
  };
}

/** Whether a help entry is one the people of these communes are given: national, their province's, or their commune's. */
function servesCommunes(entry: { scope: string; provinceCode?: string | null | undefined; communeCode?: string | null | undefined }, provinceCode: string, communeCodes: readonly string[]): boolean {
  if (entry.scope === "national") return true;
  if (entry.scope === "province") return entry.provinceCode === provinceCode;
  return entry.scope === "commune" && entry.communeCode !== undefined && entry.communeCode !== null && communeCodes.includes(entry.communeCode);
}

/** What the campaign service works with. */
export type CampaignServiceDeps = {
  db: DatabaseClient;
  places: () => PlaceLookup;
  audit: AuditLog;
  now: () => Date;
  /** The locale codes of content/locales.yaml: written content may have a text only for these. */
  locales: readonly string[];
  /** The help entries shipped in content/directory (the national numbers); written text may state their numbers. */
  fileHelp: readonly DirectoryEntry[];
};

/**
 * Campaigns through their life: a team (or a province officer, or an admin) drafts one for communes of her own
 * area, submits it, and a province officer of that province or an admin approves it (an admin may let a team
 * approve its own). Approved campaigns are scheduled once or recurring; running ones may be paused, resumed or
 * cancelled. Every change is audited; only people in her own communes can ever be targeted.
 *
 * A campaign's content is fixed when it is drafted (there is no way to change it), so what was approved is
 * what is sent. Text the team wrote is checked when it is drafted and again when it is submitted, as the help
 * directory may have changed in between: see `writtenTextProblems`.
 */
export function createCampaignService(deps: CampaignServiceDeps) {
  const { db } = deps;
  const forbidden = (why: string) => new StaffError(why, "staff:forbidden");

  /** The numbers of the help directory that people in these communes are given, from the files and from staff imports. */
  const helpNumbers = async (provinceCode: string, communeCodes: readonly string[]): Promise<string[]> => {
    const imported = await db.helpEntry.findMany({ where: { active: true, provinceCode }, select: { phone: true, scope: true, provinceCode: true, communeCode: true } });
    return [...deps.fileHelp, ...imported].filter((entry) => servesCommunes(entry, provinceCode, communeCodes)).map((entry) => entry.phone);
  };
  /** Refuses written content that names an unknown language, a number outside the help directory, or a link. */
  const checkContent = async (content: CampaignContent, provinceCode: string, communeCodes: readonly string[]): Promise<void> => {
    if (!("texts" in content)) return;
    const problems = writtenTextProblems(content, { locales: deps.locales, helpNumbers: await helpNumbers(provinceCode, communeCodes) });
    if (problems.length > 0) throw new WrittenTextError(problems);
  };

  /** The audience's communes must all exist, lie in one province, and be hers to manage. */
  const checkAudience = (principal: StaffPrincipal, audience: CampaignAudience): string => {
    const places = deps.places();
    const provinces = new Set<string>();
    for (const code of audience.communeCodes) {
      const commune = places.find(code);
      if (commune === undefined || commune.provinceCode === null) throw new StaffError(`no commune ${code}`, "staff:unknown-place", { code });
      if (!canManagePlace(principal, { provinceCode: commune.provinceCode, communeCode: code })) throw forbidden(`commune ${code} is outside your area`);
      provinces.add(commune.provinceCode);
    }
    const [province, ...others] = [...provinces];
    if (province === undefined || others.length > 0) throw new StaffError("a campaign's communes are all in one province", "staff:scope-invalid");
    return province;
  };
  const load = async (principal: StaffPrincipal, id: string): Promise<CampaignView> => {
    const row = await db.campaign.findUnique({ where: { id } });
    if (row === null) throw new StaffError(`no campaign ${id}`, "staff:not-found", { id });
    const view = viewOf(row);
    const visible = principal.role === "commune" ? view.teamId === principal.teamId : canSeePlace(principal, { provinceCode: view.provinceCode, communeCode: null });
    if (!visible) throw new StaffError(`no campaign ${id}`, "staff:not-found", { id });
    return view;
  };
  const move = async (principal: StaffPrincipal, id: string, from: readonly CampaignStatus[], to: CampaignStatus, data: Record<string, unknown> = {}): Promise<CampaignView> => {
    const view = await load(principal, id);
    const moved = await db.campaign.updateMany({ where: { id, status: { in: [...from] } }, data: { status: to, updatedAt: deps.now(), ...data } });
    if (moved.count === 0) throw new StaffError(`campaign ${id} is ${view.status}, not ${from.join(" or ")}`, "staff:wrong-state", { status: view.status });
    await deps.audit.record({ accountId: principal.accountId, action: "campaign-changed", target: `campaign:${id}`, outcome: "ok", detail: { from: view.status, to } });
    return load(principal, id);
  };
  const mayApprove = async (principal: StaffPrincipal, view: CampaignView): Promise<boolean> => {
    if (principal.role === "admin") return true;
    if (principal.role === "province") return principal.provinces.includes(view.provinceCode);
    if (view.teamId === null || view.teamId !== principal.teamId) return false;
    return (await db.staffTeam.findUnique({ where: { id: view.teamId } }))?.selfApprove === true;
  };
  const requireWrite = (principal: StaffPrincipal) => {
    if (!hasPermission(principal, "campaigns:write")) throw forbidden(`${principal.role} may not make campaigns`);
  };

  return {
    async create(principal: StaffPrincipal, draft: CampaignDraft): Promise<CampaignView> {
      requireWrite(principal);
      const audience = campaignAudienceSchema.parse(draft.audience);
      const provinceCode = checkAudience(principal, audience);
      const content = campaignContentSchema.parse(draft.content);
      await checkContent(content, provinceCode, audience.communeCodes);
      const now = deps.now();
      const id = randomUUID();
      await db.campaign.create({
        data: {
          id,
          name: draft.name.trim().slice(0, 120),
          teamId: principal.role === "commune" ? principal.teamId : null,
          provinceCode,
          createdBy: principal.accountId,
          status: "draft",
          content: JSON.stringify(content),
          audience: JSON.stringify(audience),
          ...(draft.quietStart === undefined ? {} : { quietStart: draft.quietStart }),
          ...(draft.quietEnd === undefined ? {} : { quietEnd: draft.quietEnd }),
          createdAt: now,
          updatedAt: now,
        },
      });
      await deps.audit.record({ accountId: principal.accountId, action: "campaign-changed", target: `campaign:${id}`, outcome: "ok", detail: { to: "draft" } });
      return load(principal, id);
    },

    get: load,

    /** Campaigns she may see, newest first. */
    async list(principal: StaffPrincipal): Promise<CampaignView[]> {
      const rows = await db.campaign.findMany({ orderBy: { createdAt: "desc" } });
      return rows
        .map(viewOf)
        .filter((view) => (principal.role === "commune" ? view.teamId === principal.teamId : canSeePlace(principal, { provinceCode: view.provinceCode, communeCode: null })));
    },

    /** How many people the audience reaches right now, so staff see the effect of each filter before sending. */
    async preview(principal: StaffPrincipal, audience: CampaignAudience): Promise<{ recipients: number; byLocale: Record<string, number>; byChannel: Record<string, number> }> {
      checkAudience(principal, campaignAudienceSchema.parse(audience));
      const recipients = await findRecipients(db, audience);
      const count = (pick: (recipient: (typeof recipients)[number]) => string) => {
        const counts: Record<string, number> = {};
        for (const recipient of recipients) counts[pick(recipient)] = (counts[pick(recipient)] ?? 0) + 1;
        return counts;
      };
      return { recipients: recipients.length, byLocale: count((recipient) => recipient.locale), byChannel: count((recipient) => recipient.channel) };
    },

    async submit(principal: StaffPrincipal, id: string): Promise<CampaignView> {
      requireWrite(principal);
      const from: CampaignStatus[] = ["draft", "rejected"];
      const view = await load(principal, id);
      if (from.includes(view.status)) await checkContent(view.content, view.provinceCode, view.audience.communeCodes);
      return move(principal, id, from, "submitted");
    },

    async approve(principal: StaffPrincipal, id: string): Promise<CampaignView> {
      const view = await load(principal, id);
      if (!(await mayApprove(principal, view))) throw forbidden("you may not approve this campaign");
      return move(principal, id, ["submitted"], "approved", { approvedBy: principal.accountId, approvedAt: deps.now() });
    },

    async reject(principal: StaffPrincipal, id: string): Promise<CampaignView> {
      const view = await load(principal, id);
      if (!(await mayApprove(principal, view))) throw forbidden("you may not reject this campaign");
      return move(principal, id, ["submitted"], "rejected");
    },

    /** Sets when an approved campaign starts, and whether it repeats; the planner starts it then. */
    async schedule(principal: StaffPrincipal, id: string, startsAt: Date, recurrence: CampaignRecurrence | null): Promise<CampaignView> {
      requireWrite(principal);
      const view = await load(principal, id);
      if (view.status !== "approved") throw new StaffError(`campaign ${id} is ${view.status}, not approved`, "staff:wrong-state", { status: view.status });
      await db.campaign.update({ where: { id }, data: { startsAt, recurrence: recurrence === null ? null : JSON.stringify(campaignRecurrenceSchema.parse(recurrence)), updatedAt: deps.now() } });
      await deps.audit.record({ accountId: principal.accountId, action: "campaign-changed", target: `campaign:${id}`, outcome: "ok", detail: { scheduled: startsAt.toISOString() } });
      return load(principal, id);
    },

    pause: (principal: StaffPrincipal, id: string) => {
      requireWrite(principal);
      return move(principal, id, ["running", "approved"], "paused");
    },

    /** Resumes a paused campaign: back to sending, or back to waiting for its start when it had not started. */
    async resume(principal: StaffPrincipal, id: string): Promise<CampaignView> {
      requireWrite(principal);
      const view = await load(principal, id);
      return move(principal, id, ["paused"], view.runNumber === 0 ? "approved" : "running");
    },

    /** Cancels a campaign; deliveries not yet sent are skipped with reason "cancelled". */
    async cancel(principal: StaffPrincipal, id: string): Promise<CampaignView> {
      requireWrite(principal);
      const view = await move(principal, id, ["draft", "submitted", "approved", "running", "paused"], "cancelled");
      await db.campaignDelivery.updateMany({ where: { campaignId: id, status: "pending" }, data: { status: "skipped", reason: "cancelled" } });
      return view;
    },
  };
}

/** The campaign service's interface, for code that is handed one. */
export type CampaignService = ReturnType<typeof createCampaignService>;
