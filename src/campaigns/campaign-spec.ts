import { z } from "zod";
import { contentKeySchema, topicSchema } from "../engine/flow-schema.ts";

/** What a campaign sends: content keys from the library, in order, so each person gets her own language. */
export const campaignContentSchema = z
  .object({ keys: z.array(contentKeySchema).min(1).max(8).describe("content keys sent in order, one message each") })
  .strict();
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
