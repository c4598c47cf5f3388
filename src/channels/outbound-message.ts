import { z } from "zod";

/**
 * A rendered message, independent of any platform: text in the contact's language, the content keys it
 * came from (for tests and statistics), and menu options. Channel adapters turn it into buttons or
 * numbered text according to what their platform can show.
 */
export const outboundMessageSchema = z.object({
  text: z.string(),
  contentKeys: z.array(z.string()).min(1),
  locale: z.string(),
  options: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
  /** The node that asked (`flowId/nodeId`), so a tapped button can be matched to the question it belongs to. */
  nodeId: z.string().optional(),
});
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;

/** Who a message goes to: a channel name and the user id on that channel. */
export type ChannelAddress = { channel: string; channelUserId: string };
