// Which aggregate cells one engagement event counts in, and by how much: the single definition the recorder,
// the rebuild, the tests' brute-force recount and the benchmark all use. Pure: no I/O, no clock.
import { z } from "zod";
import type { CompiledIndicator } from "./indicators.ts";
import { periodKeysOf, periodKeysOfDay } from "./periods.ts";
import { StatsError } from "./stats-error.ts";

/** An engagement event as statistics see it: place, breakdown values and the one detail that matters (quiz correctness). */
export type StatsEvent = {
  kind: string;
  occurredAt: Date;
  pseudonym: string;
  channel: string;
  locale: string | null;
  provinceCode: string | null;
  communeCode: string | null;
  topic: string | null;
  teamId: string | null;
  campaignId: string | null;
  /** Her self-declared groups at the time. */
  groups: Readonly<Record<string, string>>;
  /** For quiz answers: whether the answer was right. */
  correct: boolean;
};

/** One aggregate cell: a period, a place ("" is "all") and at most one breakdown (dimension "" is none). */
export type Cell = { period: string; provinceCode: string; communeCode: string; dimension: string; value: string };

/** A metric counted by adding: +`count` in `cell`; `key` names the cell and metric (see `cellKey`). */
export type CountedCell = Cell & { metric: string; key: string; count: number };

/** A metric counted once per person: +1 in `cell` unless `key` already holds her pseudonym in StatsPerson. */
export type PersonCell = Cell & { metric: string; key: string };

/** Everything one event adds. */
export type EventCells = { counted: CountedCell[]; people: PersonCell[] };

/** Metrics counted once per person per cell: "người". */
export const uniqueMetrics = ["people", "completers"] as const;

/** The dimensions a breakdown can be read by, besides "" (none). */
export const dimensions = ["topic", "channel", "locale", "team", "campaign", "indicator"] as const;

/** What each event kind adds: metrics +1, and the unique metric it counts her in. */
const kindMetrics: Readonly<Record<string, { counted: readonly string[]; unique?: (typeof uniqueMetrics)[number] }>> = {
  content_delivered: { counted: ["messages"], unique: "people" },
  campaign_delivered: { counted: ["messages"], unique: "people" },
  module_completed: { counted: ["modules"], unique: "completers" },
  quiz_answered: { counted: ["quiz_answers"] },
  help_shown: { counted: ["referrals"] },
  emergency_answered: { counted: ["emergencies"] },
  opted_out: { counted: ["opt_outs"] },
  blocked_bot: { counted: ["opt_outs"] },
  data_deleted: { counted: ["deletions"] },
  consent_recorded: { counted: ["consents"] },
};

/**
 * "Lượt": the sum over a period's days of the people counted on each day. Stored for months, quarters, half-years
 * and years (see `visitsOf`) so a report reads one row instead of adding up to 366 day rows; a day's lượt is its
 * "people".
 */
export const visitsMetric = "visits";

/** Every metric stored in StatsCount, for readers that list them. */
export const storedMetrics = [...new Set([...Object.values(kindMetrics).flatMap((entry) => entry.counted), "quiz_correct", ...uniqueMetrics, visitsMetric])];

/** "|" separates a cell's parts in a StatsPerson key, so it (and "%") is escaped inside parts. */
const escapePart = (part: string) => (part.includes("|") || part.includes("%") ? part.replace(/%/g, "%25").replace(/\|/g, "%7C") : part);

/**
 * The StatsPerson key of a unique metric's cell: period, place, dimension and value joined with "|", plus the
 * metric when it is not "people" ("…|completers"). Parts are escaped, so distinct cells never share a key.
 */
export function cellKey(cell: Cell, metric: string): string {
  return withMetric(`${cell.period}|${escapePart(cell.provinceCode)}|${escapePart(cell.communeCode)}|${cell.dimension}|${escapePart(cell.value)}`, metric);
}

const withMetric = (base: string, metric: string) => (metric === "people" ? base : [base, metric].join("|"));

const unescapePart = (part: string) => (part.includes("%") ? part.replace(/%7C/g, "|").replace(/%25/g, "%") : part);

/** The cell and metric a key names: the inverse of `cellKey`, for code that keeps keys instead of cell objects. */
export function cellOfKey(key: string): Cell & { metric: string } {
  const parts = key.split("|");
  const [period, provinceCode, communeCode, dimension, value, metric = "people"] = parts;
  if (parts.length < 5 || parts.length > 6 || period === undefined || provinceCode === undefined || communeCode === undefined || dimension === undefined || value === undefined) {
    throw new StatsError("Not a statistics cell key", "stats:invalid-cell-key", { context: { parts: parts.length } });
  }
  return { period, provinceCode: unescapePart(provinceCode), communeCode: unescapePart(communeCode), dimension, value: unescapePart(value), metric };
}

/** The places an event counts in: the country always, her province when known, her commune when both are known. */
function placesOf(event: StatsEvent): Array<{ provinceCode: string; communeCode: string }> {
  const places = [{ provinceCode: "", communeCode: "" }];
  if (event.provinceCode === null || event.provinceCode === "") return places;
  places.push({ provinceCode: event.provinceCode, communeCode: "" });
  if (event.communeCode !== null && event.communeCode !== "") places.push({ provinceCode: event.provinceCode, communeCode: event.communeCode });
  return places;
}

/** The breakdowns an event counts in besides the indicators: none, and each dimension whose value it has. */
function breakdownsOf(event: StatsEvent): Array<{ dimension: string; value: string }> {
  const breakdowns = [
    { dimension: "", value: "" },
    { dimension: "channel", value: event.channel },
  ];
  if (event.topic !== null) breakdowns.push({ dimension: "topic", value: event.topic });
  if (event.locale !== null) breakdowns.push({ dimension: "locale", value: event.locale });
  if (event.teamId !== null) breakdowns.push({ dimension: "team", value: event.teamId });
  if (event.campaignId !== null) breakdowns.push({ dimension: "campaign", value: event.campaignId });
  return breakdowns;
}

/**
 * The cells one event counts in (see docs/statistics.md): every place level it has × every breakdown it has ×
 * its day, month, quarter, half-year and year. Counted metrics come from its kind (a correct quiz answer also
 * adds "quiz_correct"); delivered content counts her in "people", a completed module in "completers"; and each
 * indicator whose numerator matches counts her in "people" under dimension "indicator". Kinds statistics do
 * not count (session_expired, …) add nothing but may still match an indicator.
 */
export function cellsOf(event: StatsEvent, indicators: readonly CompiledIndicator[]): EventCells {
  const metrics = kindMetrics[event.kind];
  const counted = metrics === undefined ? [] : event.kind === "quiz_answered" && event.correct ? [...metrics.counted, "quiz_correct"] : metrics.counted;
  const unique = metrics?.unique;
  const matching = indicators.filter((indicator) =>
    indicator.matches({ kind: event.kind, topic: event.topic, channel: event.channel, locale: event.locale, groups: event.groups }),
  );
  const result: EventCells = { counted: [], people: [] };
  const periods = periodKeysOf(event.occurredAt);
  const breakdowns = breakdownsOf(event);
  // Plain loops, object literals and each key built once (with join, which gives a flat string that hashes
  // faster than a template's rope): the benchmark runs this ten million times.
  for (const { provinceCode, communeCode } of placesOf(event)) {
    const place = `${escapePart(provinceCode)}|${escapePart(communeCode)}`;
    for (const period of periods) {
      for (const { dimension, value } of breakdowns) {
        const base = [period, place, dimension, escapePart(value)].join("|");
        for (const metric of counted) result.counted.push({ period, provinceCode, communeCode, dimension, value, metric, key: withMetric(base, metric), count: 1 });
        if (unique !== undefined) result.people.push({ period, provinceCode, communeCode, dimension, value, metric: unique, key: withMetric(base, unique) });
      }
      for (const indicator of matching) {
        result.people.push({ period, provinceCode, communeCode, dimension: "indicator", value: indicator.id, metric: "people", key: [period, place, "indicator", escapePart(indicator.id)].join("|") });
      }
    }
  }
  return result;
}

/**
 * What counting a person for the first time in a day's "people" cell adds: one lượt in the same place and breakdown
 * for the month, quarter, half-year and year of that day. Anything else (another metric, a longer period) adds none.
 * Called only for cells StatsPerson had not yet seen her in, which makes lượt exactly the sum of daily people.
 */
export function visitsOf(cell: PersonCell): CountedCell[] {
  if (cell.metric !== "people" || !cell.period.startsWith("d")) return [];
  const { provinceCode, communeCode, dimension, value } = cell;
  return periodKeysOfDay(cell.period)
    .slice(1)
    .map((period) => {
      const counted = { period, provinceCode, communeCode, dimension, value };
      return { ...counted, metric: visitsMetric, key: cellKey(counted, visitsMetric), count: 1 };
    });
}

/** The stored columns of an EngagementEvent row that statistics read: the event with its JSON columns as text. */
export type EngagementRow = Omit<StatsEvent, "groups" | "correct"> & { id: number; detail: string; groups: string };

const detailSchema = z.object({ correct: z.boolean().optional(), campaignId: z.string().optional() }).loose();
const groupsSchema = z.record(z.string(), z.unknown()).transform((groups) =>
  Object.fromEntries(Object.entries(groups).filter((entry): entry is [string, string] => typeof entry[1] === "string")),
);

function parseJsonColumn<T>(text: string, schema: z.ZodType<T>, column: string, id: number): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StatsError(`Engagement event ${id} has unreadable ${column} JSON`, "stats:invalid-event", { cause: error, context: { eventId: id, column } });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StatsError(`Engagement event ${id} has ${column} of an unexpected shape`, "stats:invalid-event", { context: { eventId: id, column } });
  return parsed.data;
}

/**
 * Reads a stored event for counting. Events written before the campaign column existed carry their campaign
 * in `detail.campaignId`; it is used when the column is empty. Unreadable JSON is a bug in Loa, not data to
 * skip: it throws a `StatsError` naming the row.
 */
export function statsEventOf(row: EngagementRow): StatsEvent {
  const detail = parseJsonColumn(row.detail, detailSchema, "detail", row.id);
  return {
    kind: row.kind,
    occurredAt: row.occurredAt,
    pseudonym: row.pseudonym,
    channel: row.channel,
    locale: row.locale,
    provinceCode: row.provinceCode,
    communeCode: row.communeCode,
    topic: row.topic,
    teamId: row.teamId,
    campaignId: row.campaignId ?? detail.campaignId ?? null,
    groups: parseJsonColumn(row.groups, groupsSchema, "groups", row.id),
    correct: detail.correct === true,
  };
}
