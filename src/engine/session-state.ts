import { z } from "zod";

/**
 * A conversation's position, stored as JSON in the Session table. `version` is the shape of this object;
 * each frame names the flow revision it was written against, so a flow edited under a waiting
 * conversation is detected (see `flow-changes.ts` for the rule that then applies).
 */
export const sessionFrameSchema = z.object({
  flowId: z.string(),
  revision: z.string(),
  /**
   * For the top frame, the node waiting for an answer. For a lower frame, the node to continue at when the
   * flow above it ends; null when this flow ends too.
   */
  nodeId: z.string().nullable(),
  /** Invalid answers given at the waiting node so far. */
  attempts: z.number().int().min(0).default(0),
  /**
   * Where a question with several steps is (the `place` node: province, then commune, then "is it …?"),
   * with the codes offered at that step.
   */
  stage: z.object({ name: z.string(), candidates: z.array(z.string()).default([]) }).optional(),
});
export type SessionFrame = z.infer<typeof sessionFrameSchema>;

export const sessionStateSchema = z.object({
  version: z.literal(1),
  /** Flows in progress, the current one last. Empty only while a deletion confirmation waits outside any flow. */
  stack: z.array(sessionFrameSchema),
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  waitingSince: z.string(),
  expiresAt: z.string(),
  /** Set while the person is asked to confirm that her data should be deleted. */
  pendingDeletion: z.boolean().default(false),
});
export type SessionState = z.infer<typeof sessionStateSchema>;
export const sessionStateVersion = 1;
