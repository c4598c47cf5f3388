/**
 * What a Zalo OA menu button says when tapped. Zalo has no callback id: an `oa.query.hide` button makes the
 * person "send" its payload, which comes back as an ordinary `user_send_text` event without showing in the
 * chat. So the payload is a text the webhook recognises: `#loa:1:<flowId/nodeId>:<optionId>` (the node part
 * is empty when the message names no node). Someone typing exactly this text just picks that option.
 */
export type ButtonChoice = { optionId: string; nodeId?: string };

const prefix = "#loa:1:";

/** Node and option ids as flows write them, within the inbox's 64-character limits; never a ':'. */
const nodePart = /^[A-Za-z0-9_./-]{0,64}$/;
const optionPart = /^[A-Za-z0-9_.-]{1,64}$/;

const payloadPattern = /^#loa:1:([A-Za-z0-9_./-]{0,64}):([A-Za-z0-9_.-]{1,64})$/;

/** The button payload for an option, or undefined when its ids cannot be carried (the caller shows numbered text). */
export function encodeButtonPayload(choice: ButtonChoice): string | undefined {
  const node = choice.nodeId ?? "";
  if (!nodePart.test(node) || !optionPart.test(choice.optionId)) return undefined;
  return `${prefix}${node}:${choice.optionId}`;
}

/** The choice a tapped button's text carries, or null when the text is not one of Loa's payloads. */
export function decodeButtonPayload(text: string): ButtonChoice | null {
  const match = payloadPattern.exec(text.trim());
  if (match === null) return null;
  const [, node = "", optionId = ""] = match;
  return node === "" ? { optionId } : { optionId, nodeId: node };
}
