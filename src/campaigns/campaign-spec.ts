import { z } from "zod";
import { contentKeySchema, topicSchema } from "../engine/flow-schema.ts";

/** Content from the library: content keys, in order, so each person gets her own language. */
const libraryContentSchema = z
  .object({ keys: z.array(contentKeySchema).min(1).max(8).describe("content keys sent in order, one message each") })
  .strict();

/** The longest text a team may write for one language: longer messages are hard to read (see the content guide). */
export const writtenTextMaxLength = 400;

/** Locale codes as `content/locales.yaml` writes them; the campaign service checks they are in the registry. */
const localeCodePattern = /^[a-z]{2,3}$/;

/**
 * One language's text: trimmed and in NFC, so the same words typed on two phones (composed or decomposed
 * diacritics) are stored, checked and counted alike.
 */
const writtenTextSchema = z.string().trim().normalize("NFC").min(1).max(writtenTextMaxLength);

/**
 * Content the team wrote in the console, one text per language. Vietnamese is required: it is what a person
 * whose language has no text receives, after the fallback notice. The text is part of the campaign and is
 * approved with it. `topic` says what the message is about, so reach by topic counts it.
 */
export const writtenContentSchema = z
  .object({
    texts: z
      .object({ vi: writtenTextSchema })
      .catchall(writtenTextSchema)
      .superRefine((texts, context) => {
        for (const locale of Object.keys(texts)) {
          if (!localeCodePattern.test(locale)) context.addIssue({ code: "custom", path: [locale], message: "a locale code is 2–3 lower-case letters, e.g. vi, en, hmn" });
        }
      })
      .describe(`the message per locale code (vi required), each 1 to ${writtenTextMaxLength} characters`),
    topic: topicSchema.optional().describe("the programme topic the message is about, for reach by topic"),
  })
  .strict();
export type WrittenContent = z.infer<typeof writtenContentSchema>;

/**
 * What a campaign sends: content from the library, or text the team wrote and had approved. When neither form
 * fits at all (no Vietnamese text, or both keys and texts), the message says what each form needs.
 */
export const campaignContentSchema = z.union([libraryContentSchema, writtenContentSchema], {
  error: "content is either { keys: [content keys] } or { texts: { vi: text, <other locale>: text }, topic? }, with the Vietnamese text required",
});
export type CampaignContent = z.infer<typeof campaignContentSchema>;

/**
 * Who a campaign reaches. Communes are required (a campaign always has a place); the other filters narrow it:
 * her language, her channel, a topic she has read about, and self-declared groups ("pregnant": "yes").
 */
export const campaignAudienceSchema = z
  .object({
    communeCodes: z.array(z.string().min(1).max(20)).min(1).max(500),
    locales: z.array(z.string().regex(/^[a-z]{2,3}$/)).max(20).optional(),
    channels: z.array(z.string().min(1).max(40)).max(10).optional(),
    topics: z.array(topicSchema).max(4).optional(),
    groups: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), z.string().max(40)).optional(),
  })
  .strict();
export type CampaignAudience = z.infer<typeof campaignAudienceSchema>;

/** A recurring campaign runs every week or month, `count` times in all. */
export const campaignRecurrenceSchema = z.object({ every: z.enum(["week", "month"]), count: z.number().int().min(2).max(52) }).strict();
export type CampaignRecurrence = z.infer<typeof campaignRecurrenceSchema>;

/** Local times "HH:MM" (Asia/Ho_Chi_Minh) of quiet hours. */
export const localTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM");

/** The states of a campaign, in the order a campaign usually passes them. */
export const campaignStatuses = ["draft", "submitted", "approved", "running", "paused", "completed", "cancelled", "rejected"] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
