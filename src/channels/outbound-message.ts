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
  /**
   * Pictures and voice notes sent before the text (the text, with any menu, comes last). `url` is a public
   * http(s) address the platform fetches itself; `mimeType` says what the file is, since Telegram wants
   * OGG/Opus for voice notes and Zalo Bot wants AAC. A channel that cannot send a kind skips it and says
   * so in the log; the text always goes.
   */
  media: z
    .array(
      z.object({
        kind: z.enum(["image", "voice"]),
        url: z.url({ protocol: /^https?$/ }),
        mimeType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/),
        /** Size in bytes when known, so a channel with a size limit (Zalo OA images ≤ 1 MB) can skip oversized files. */
        bytes: z.number().int().positive().optional(),
      }),
    )
    .optional(),
});
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;

/** Who a message goes to: a channel name and the user id on that channel. */
export type ChannelAddress = { channel: string; channelUserId: string };
