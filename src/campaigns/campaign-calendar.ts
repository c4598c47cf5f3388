import { join } from "node:path";
import { z } from "zod";
import { readYamlFile } from "../content/data-file.ts";
import { contentKeySchema } from "../engine/flow-schema.ts";

/** Days in each month of a leap year, so 29/02 is accepted and 31/04 is not. */
const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A day of the year as Vietnamese staff write it, "DD/MM" ("01/06", "25/11"). */
const dayOfYearSchema = z
  .string()
  .regex(/^\d{2}\/\d{2}$/, "a day is written DD/MM, e.g. 01/06")
  .transform((text, context) => {
    const [day = 0, month = 0] = text.split("/").map(Number);
    if (month < 1 || month > 12 || day < 1 || day > (daysInMonth[month - 1] ?? 0)) {
      context.addIssue({ code: "custom", message: `${text} is not a day of the year` });
      return z.NEVER;
    }
    return { day, month };
  });

/** A day of the year: 1-based day and month. */
export type DayOfYear = { day: number; month: number };

const templateSchema = z
  .object({
    name: z.object({ vi: z.string().min(1).max(160), en: z.string().min(1).max(160) }).strict(),
    from: dayOfYearSchema,
    to: dayOfYearSchema,
    keys: z.array(contentKeySchema).min(1).max(8),
    sources: z.array(z.object({ url: z.url({ protocol: /^https?$/ }), note: z.string().min(1) }).strict()).min(1),
    note: z.string().min(1).optional(),
  })
  .strict();

/** The calendar file: templates by id, so a problem's path names the entry ("templates.family-day.keys.0"). */
const calendarFileSchema = z
  .object({ templates: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, "an id uses lower-case letters, digits and '-'"), templateSchema) })
  .strict();

/** One campaign month or day of the programme, offered as a starting point for a campaign. */
export type CampaignTemplate = {
  id: string;
  name: { vi: string; en: string };
  from: DayOfYear;
  to: DayOfYear;
  /** Content keys suggested for it, sent in order. */
  keys: string[];
  /** Where the date is stated. */
  sources: Array<{ url: string; note: string }>;
  /** What staff should know before using the date, such as dates that change every year. */
  note: string | null;
};

/** The calendar's file in a content folder: `<contentDir>/campaign-calendar.yaml`. */
export function campaignCalendarFile(contentDir: string): string {
  return join(contentDir, "campaign-calendar.yaml");
}

/**
 * Reads the programme's campaign calendar: each month or day with its dates, sources and suggested content
 * keys. A wrong file fails with a ContentError naming the file and the entry and field at fault.
 */
export async function loadCampaignCalendar(file: string): Promise<CampaignTemplate[]> {
  const calendar = await readYamlFile(file, calendarFileSchema);
  return Object.entries(calendar.templates).map(([id, template]) => ({ id, ...template, note: template.note ?? null }));
}
