/**
 * What a person sent, as the engine sees it. `choice` comes from a tapped button; typed digits and
 * option words arrive as `text` and are matched by the engine. A choice's `nodeId` is the asking node as
 * `flowId/nodeId`, so a button left over from an earlier question is recognised as stale. `start` opens a
 * conversation without input.
 */
export type EngineInput =
  | { kind: "text"; text: string }
  | { kind: "choice"; optionId: string; nodeId?: string }
  | { kind: "start" };
