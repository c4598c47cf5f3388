// The programme's indicators as content: declared in content/indicators.yaml, so a province adds its own
// without code, and compiled into the predicates the statistics recorder counts events with.
import { join } from "node:path";
import { z } from "zod";
import { readYamlFile } from "../content/data-file.ts";
import { topicSchema } from "../engine/flow-schema.ts";

/** The engagement event kinds the statistics count, and so the kinds a numerator may name. */
export const countedEventKinds = [
  "content_delivered",
  "campaign_delivered",
  "module_completed",
  "quiz_answered",
  "help_shown",
  "emergency_answered",
  "opted_out",
  "blocked_bot",
  "data_deleted",
  "consent_recorded",
] as const;

/** The programme's units: người (unique people), hộ (households, counted as people: a proxy), lượt (times). */
export const indicatorUnits = ["người", "hộ", "lượt"] as const;

/** The unit an indicator is reported in. */
export type IndicatorUnit = (typeof indicatorUnits)[number];

/** The names the channel adapters record events under (written out: importing the adapters would load their SDKs). */
const channels = ["telegram", "zalo-bot", "zalo-oa", "simulator"] as const;

const bilingualSchema = z.object({ vi: z.string().trim().min(1).max(600), en: z.string().trim().min(1).max(600) }).strict();

/** A group she must have declared: one value ("yes") or any of several. */
const groupValuesSchema = z.union([z.string().min(1).max(40), z.array(z.string().min(1).max(40)).min(1)]).transform((value) => (typeof value === "string" ? [value] : value));

const numeratorSchema = z
  .object({
    kinds: z.array(z.enum(countedEventKinds)).min(1),
    topics: z.array(topicSchema).min(1).optional(),
    groups: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, "a group name uses lower-case letters, digits, '_' and '-'"), groupValuesSchema).optional(),
    channels: z.array(z.enum(channels)).min(1).optional(),
  })
  .strict();

const indicatorSchema = z
  .object({
    name: bilingualSchema,
    description: bilingualSchema,
    numerator: numeratorSchema,
    unit: z.enum(indicatorUnits),
    denominator: bilingualSchema.optional(),
    target: z.number().gt(0).max(100).optional(),
    sources: z.array(z.object({ plan: z.string().trim().min(1).max(400), quote: z.string().trim().min(1).max(1000) }).strict()).min(1),
  })
  .strict()
  .refine((indicator) => indicator.target === undefined || indicator.denominator !== undefined, {
    message: "a target percentage needs a denominator (the population staff enter per commune)",
    path: ["target"],
  });

/** Ids by key, so a problem's path names the indicator: "indicators.safe-birth-reach.numerator.topics.0". */
const indicatorsFileSchema = z
  .object({
    indicators: z.record(z.string(), indicatorSchema).superRefine((indicators, context) => {
      for (const id of Object.keys(indicators)) {
        if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(id) || id.length > 60) {
          context.addIssue({ code: "custom", path: [id], message: "an id uses lower-case letters, digits and '-', at most 60" });
        }
      }
    }),
  })
  .strict();

/** Text in Vietnamese and English. */
export type Bilingual = { vi: string; en: string };

/** One indicator as declared: what counts a person, the unit, the optional denominator and target, the plans it comes from. */
export type Indicator = {
  id: string;
  name: Bilingual;
  /** How Loa counts it and what it cannot know, for staff reading the figure. */
  description: Bilingual;
  numerator: {
    kinds: readonly string[];
    /** Null: any topic, or none. */
    topics: readonly string[] | null;
    /** Groups she must have declared, each with the values that count. */
    groups: Readonly<Record<string, readonly string[]>>;
    /** Null: every channel. */
    channels: readonly string[] | null;
  };
  unit: IndicatorUnit;
  /** The population staff enter per commune and year, or null when the plans count people only. */
  denominator: Bilingual | null;
  /** The plan's target percentage, or null when the plans set none. */
  target: number | null;
  sources: ReadonlyArray<{ plan: string; quote: string }>;
};

/** What the recorder knows of an engagement event when it decides which indicators count it. */
export type IndicatorEvent = {
  kind: string;
  topic: string | null;
  channel: string;
  locale: string | null;
  groups: Readonly<Record<string, string>>;
};

/** An indicator reduced to what the recorder needs: its id and whether an event counts toward it. */
export type CompiledIndicator = { readonly id: string; matches(event: IndicatorEvent): boolean };

/** The indicators file in a content folder: `<contentDir>/indicators.yaml`. */
export function indicatorsFile(contentDir: string): string {
  return join(contentDir, "indicators.yaml");
}

/**
 * Reads and checks the indicators file. A wrong file fails with a ContentError naming the file and the
 * indicator and field at fault, so whoever edited it can fix it without reading code.
 */
export async function loadIndicators(file: string): Promise<Indicator[]> {
  const parsed = await readYamlFile(file, indicatorsFileSchema);
  return Object.entries(parsed.indicators).map(([id, declared]) => ({
    id,
    name: declared.name,
    description: declared.description,
    numerator: {
      kinds: declared.numerator.kinds,
      topics: declared.numerator.topics ?? null,
      groups: declared.numerator.groups ?? {},
      channels: declared.numerator.channels ?? null,
    },
    unit: declared.unit,
    denominator: declared.denominator ?? null,
    target: declared.target ?? null,
    sources: declared.sources,
  }));
}

/**
 * Turns declared indicators into predicates: an event counts when its kind is listed, its topic and channel
 * are among those listed (when listed), and she had declared every listed group with one of its values.
 */
export function compileIndicators(indicators: readonly Indicator[]): CompiledIndicator[] {
  return indicators.map((indicator) => {
    const kinds = new Set(indicator.numerator.kinds);
    const topics = indicator.numerator.topics === null ? null : new Set(indicator.numerator.topics);
    const channelSet = indicator.numerator.channels === null ? null : new Set(indicator.numerator.channels);
    const groups = Object.entries(indicator.numerator.groups);
    return {
      id: indicator.id,
      matches: (event) =>
        kinds.has(event.kind) &&
        (topics === null || (event.topic !== null && topics.has(event.topic))) &&
        (channelSet === null || channelSet.has(event.channel)) &&
        groups.every(([group, values]) => {
          const declared = event.groups[group];
          return declared !== undefined && values.includes(declared);
        }),
    };
  });
}
