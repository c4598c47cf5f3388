// In-person outreach sessions ("cuộc"): what communication teams hold in villages, recorded by staff beside the
// bot's reach and always counted apart from it, since a meeting of forty people is not forty people reached by Loa.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { topicSchema } from "../engine/flow-schema.ts";
import type { PlaceLookup } from "../engine/place-lookup.ts";
import type { AuditLog } from "../staff/audit-log.ts";
import { StaffError } from "../staff/staff-error.ts";
import { canManagePlace, canSeePlace, hasPermission, type StaffPrincipal } from "../staff/staff-principal.ts";
import type { DatabaseClient } from "../store/database.ts";
import { localDateText, parsePeriod } from "./periods.ts";
import { StatsError } from "./stats-error.ts";

/** What a session is about: the programme's four topics, gender equality (a Dự án 8 theme Loa has no module on), or other. */
export const sessionTopics = [...topicSchema.options, "gender-equality", "other"] as const;

/** The topic of an in-person session. */
export type SessionTopic = (typeof sessionTopics)[number];

const sessionTopicSchema = z.enum(sessionTopics);

/** What staff send to record or change a session. The note is for the team's own use: no names or personal data. */
export const outreachSessionInputSchema = z
  .object({
    heldOn: z.iso.date(),
    communeCode: z.string().min(1).max(20),
    topic: sessionTopicSchema,
    placeName: z.string().trim().min(1).max(200),
    participantsFemale: z.number().int().min(0).max(100_000),
    participantsMale: z.number().int().min(0).max(100_000),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((session) => session.participantsFemale + session.participantsMale > 0, { message: "a session has at least one participant", path: ["participantsFemale"] });

/** What staff send to record or change a session. */
export type OutreachSessionInput = z.infer<typeof outreachSessionInputSchema>;

/** A recorded session; `heldOn` is the local date it was held, "2026-11-20". */
export type OutreachSession = {
  id: string;
  teamId: string | null;
  provinceCode: string;
  communeCode: string;
  heldOn: string;
  topic: SessionTopic;
  placeName: string;
  participantsFemale: number;
  participantsMale: number;
  note: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
};

/** Which sessions to list or total: a period name ("2026-H2", "2026"), a province, communes, a topic. */
export type SessionFilter = { period?: string; provinceCode?: string; communeCodes?: readonly string[]; topic?: SessionTopic };

/** Sessions and their participants, by sex and in all. */
export type SessionCounts = { sessions: number; female: number; male: number; total: number };

/** Session totals of a period and province: overall, per commune, per topic, and per commune and topic. */
export type SessionTotals = {
  total: SessionCounts;
  byCommune: Array<SessionCounts & { communeCode: string }>;
  byTopic: Array<SessionCounts & { topic: SessionTopic }>;
  byCommuneAndTopic: Array<SessionCounts & { communeCode: string; topic: SessionTopic }>;
};

type SessionRow = Awaited<ReturnType<DatabaseClient["outreachSession"]["findUniqueOrThrow"]>>;

function viewOf(row: SessionRow): OutreachSession {
  return { ...row, heldOn: row.heldOn.toISOString().slice(0, 10), topic: sessionTopicSchema.parse(row.topic) };
}

/** The stored `heldOn` bounds of a period: its local dates as UTC midnights, the end exclusive. */
function heldOnRange(period: string): { gte: Date; lt: Date } {
  const { start, end } = parsePeriod(period);
  return { gte: new Date(`${localDateText(start)}T00:00:00Z`), lt: new Date(`${localDateText(end)}T00:00:00Z`) };
}

function add(counts: SessionCounts, row: { participantsFemale: number; participantsMale: number }): void {
  counts.sessions += 1;
  counts.female += row.participantsFemale;
  counts.male += row.participantsMale;
  counts.total += row.participantsFemale + row.participantsMale;
}

const zero = (): SessionCounts => ({ sessions: 0, female: 0, male: 0, total: 0 });

/** Sessions matching a filter, newest first, whoever asks: the service narrows them to her area. */
export async function findSessions(db: Pick<DatabaseClient, "outreachSession">, filter: SessionFilter): Promise<OutreachSession[]> {
  const rows = await db.outreachSession.findMany({
    where: {
      ...(filter.period === undefined ? {} : { heldOn: heldOnRange(filter.period) }),
      ...(filter.provinceCode === undefined ? {} : { provinceCode: filter.provinceCode }),
      ...(filter.communeCodes === undefined ? {} : { communeCode: { in: [...filter.communeCodes] } }),
      ...(filter.topic === undefined ? {} : { topic: filter.topic }),
    },
    orderBy: [{ heldOn: "desc" }, { createdAt: "desc" }, { id: "asc" }],
  });
  return rows.map(viewOf);
}

/** Sessions and participants added up overall, per commune (by code), per topic and per commune and topic. */
export function sessionTotals(sessions: readonly OutreachSession[]): SessionTotals {
  const total = zero();
  const byCommune = new Map<string, SessionCounts & { communeCode: string }>();
  const byTopic = new Map<SessionTopic, SessionCounts & { topic: SessionTopic }>();
  const byCommuneAndTopic = new Map<string, SessionCounts & { communeCode: string; topic: SessionTopic }>();
  for (const session of sessions) {
    add(total, session);
    const commune = byCommune.get(session.communeCode) ?? { communeCode: session.communeCode, ...zero() };
    add(commune, session);
    byCommune.set(session.communeCode, commune);
    const topic = byTopic.get(session.topic) ?? { topic: session.topic, ...zero() };
    add(topic, session);
    byTopic.set(session.topic, topic);
    const key = `${session.communeCode}|${session.topic}`;
    const both = byCommuneAndTopic.get(key) ?? { communeCode: session.communeCode, topic: session.topic, ...zero() };
    add(both, session);
    byCommuneAndTopic.set(key, both);
  }
  const byCode = (a: { communeCode: string }, b: { communeCode: string }) => a.communeCode.localeCompare(b.communeCode, "en", { numeric: true });
  return {
    total,
    byCommune: [...byCommune.values()].sort(byCode),
    byTopic: sessionTopics.flatMap((topic) => byTopic.get(topic) ?? []),
    byCommuneAndTopic: [...byCommuneAndTopic.values()].sort((a, b) => byCode(a, b) || sessionTopics.indexOf(a.topic) - sessionTopics.indexOf(b.topic)),
  };
}

/**
 * The sessions service for the console, the API and the report. Commune teams record, change and remove
 * sessions of their own communes, province officers those of their provinces, admins all (`canManagePlace`);
 * every role lists and totals what it may see. Every change is written to the audit log.
 */
export function createOutreachSessions(deps: { db: DatabaseClient; places: () => PlaceLookup; audit: AuditLog; now: () => Date; newId?: () => string }) {
  const newId = deps.newId ?? randomUUID;
  const require = (principal: StaffPrincipal, permission: "stats:read" | "sessions:write") => {
    if (!hasPermission(principal, permission)) throw new StaffError(`${principal.role} may not ${permission}`, "staff:forbidden", { permission });
  };
  /** The commune's province, after checking the session is one she may write. */
  const checkInput = (principal: StaffPrincipal, input: OutreachSessionInput): string => {
    const provinceCode = deps.places().find(input.communeCode)?.provinceCode ?? null;
    if (provinceCode === null) throw new StatsError(`"${input.communeCode}" is not a commune code in the place list`, "stats:unknown-commune", { context: { communeCode: input.communeCode } });
    if (!canManagePlace(principal, { provinceCode, communeCode: input.communeCode })) {
      throw new StaffError(`commune ${input.communeCode} is outside her area`, "staff:not-found", { communeCode: input.communeCode });
    }
    if (input.heldOn > localDateText(deps.now()) || input.heldOn < "2000-01-01") {
      throw new StatsError(`${input.heldOn} is not a day a session can have been held`, "stats:invalid-session", { context: { heldOn: input.heldOn } });
    }
    return provinceCode;
  };
  const fields = (input: OutreachSessionInput) => ({
    heldOn: new Date(`${input.heldOn}T00:00:00Z`),
    communeCode: input.communeCode,
    topic: input.topic,
    placeName: input.placeName,
    participantsFemale: input.participantsFemale,
    participantsMale: input.participantsMale,
    note: input.note === undefined || input.note === "" ? null : input.note,
  });
  /** A stored session she may change, or `staff:not-found` (also for one outside her area). */
  const ownSession = async (principal: StaffPrincipal, id: string): Promise<SessionRow> => {
    const row = await deps.db.outreachSession.findUnique({ where: { id } });
    if (row === null || !canManagePlace(principal, { provinceCode: row.provinceCode, communeCode: row.communeCode })) {
      throw new StaffError(`no session ${id}`, "staff:not-found", { id });
    }
    return row;
  };
  const audit = (principal: StaffPrincipal, id: string, change: "recorded" | "changed" | "removed") =>
    deps.audit.record({ accountId: principal.accountId, action: "outreach-session-changed", target: `outreach-session:${id}`, outcome: "ok", detail: { change } });
  const visible = async (principal: StaffPrincipal, filter: SessionFilter = {}): Promise<OutreachSession[]> => {
    require(principal, "stats:read");
    return (await findSessions(deps.db, filter)).filter((session) => canSeePlace(principal, { provinceCode: session.provinceCode, communeCode: session.communeCode }));
  };

  return {
    /** Records a session held in a commune of her area; a commune team's session carries her team. */
    async record(principal: StaffPrincipal, input: OutreachSessionInput): Promise<OutreachSession> {
      require(principal, "sessions:write");
      const provinceCode = checkInput(principal, input);
      const at = deps.now();
      const row = await deps.db.outreachSession.create({
        data: { id: newId(), teamId: principal.teamId, provinceCode, ...fields(input), createdBy: principal.accountId, createdAt: at, updatedAt: at },
      });
      await audit(principal, row.id, "recorded");
      return viewOf(row);
    },

    /** Changes a session of her area; moving it to a commune outside her area is refused like any other. */
    async change(principal: StaffPrincipal, id: string, input: OutreachSessionInput): Promise<OutreachSession> {
      require(principal, "sessions:write");
      await ownSession(principal, id);
      const provinceCode = checkInput(principal, input);
      const row = await deps.db.outreachSession.update({ where: { id }, data: { provinceCode, ...fields(input), updatedAt: deps.now() } });
      await audit(principal, id, "changed");
      return viewOf(row);
    },

    /** Removes a session of her area. */
    async remove(principal: StaffPrincipal, id: string): Promise<void> {
      require(principal, "sessions:write");
      await ownSession(principal, id);
      await deps.db.outreachSession.delete({ where: { id } });
      await audit(principal, id, "removed");
    },

    /** One session she may see, or `staff:not-found`. */
    async get(principal: StaffPrincipal, id: string): Promise<OutreachSession> {
      require(principal, "stats:read");
      const row = await deps.db.outreachSession.findUnique({ where: { id } });
      if (row === null || !canSeePlace(principal, { provinceCode: row.provinceCode, communeCode: row.communeCode })) throw new StaffError(`no session ${id}`, "staff:not-found", { id });
      return viewOf(row);
    },

    /** Sessions she may see, newest first. */
    list: visible,

    /**
     * Sessions and participants of a period in a province, overall and per commune and topic, counting only the
     * sessions she may see (a commune team: her own communes). Counted apart from the bot's reach.
     */
    async totals(principal: StaffPrincipal, filter: SessionFilter & { period: string; provinceCode: string }): Promise<SessionTotals> {
      return sessionTotals(await visible(principal, filter));
    },
  };
}

/** The sessions service's interface, for code that is handed one. */
export type OutreachSessions = ReturnType<typeof createOutreachSessions>;
