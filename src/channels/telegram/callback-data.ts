import type { InboundMessage } from "../../conversation/inbound-message.ts";

/** Telegram's limit on a button's `callback_data`, in UTF-8 bytes. */
export const maxCallbackDataBytes = 64;

/** Longest option id and node id the inbox accepts (see `inboundMessageSchema`). */
const maxIdLength = 64;

/** Marks Loa's choice buttons, so data from any other button (or a future format) is not mistaken for one. */
const choicePrefix = "c";
const separator = "|";

/**
 * Encodes a menu button as `c|<optionId>|<flowId>/<nodeId>` (or `c|<optionId>` when the message names no
 * node), so a press tells the engine which option of which question was tapped, and a button left over from
 * an earlier question is recognised as stale. Both ids are percent-encoded (keeping the node's `/`), so
 * any id round-trips and the separator never appears inside one; flow identifiers need no escaping, so a
 * typical button costs 4 bytes plus its ids (`c|son-la|main/place`). Returns undefined when the result
 * would exceed Telegram's 64 bytes: the caller then shows the menu as numbered text instead of dropping
 * the node (a button without it could pick a wrong answer in a later menu).
 */
export function encodeCallbackData(optionId: string, nodeId: string | undefined): string | undefined {
  const parts = [choicePrefix, encodeURIComponent(optionId)];
  if (nodeId !== undefined) parts.push(encodeURIComponent(nodeId).replaceAll("%2F", "/"));
  const data = parts.join(separator);
  return Buffer.byteLength(data, "utf8") <= maxCallbackDataBytes ? data : undefined;
}

/**
 * Reads a pressed button's data back into the choice it encodes. Anything else (another format, broken
 * escapes, ids longer than the inbox accepts) gives undefined, and the press is ignored rather than failing.
 */
export function decodeCallbackData(data: string): Extract<InboundMessage, { kind: "choice" }> | undefined {
  const parts = data.split(separator);
  if (parts[0] !== choicePrefix || parts.length < 2 || parts.length > 3) return undefined;
  const optionId = decodeId(parts[1]);
  const nodeId = parts.length === 3 ? decodeId(parts[2]) : undefined;
  if (optionId === undefined || (parts.length === 3 && nodeId === undefined)) return undefined;
  return { kind: "choice", optionId, ...(nodeId === undefined ? {} : { nodeId }) };
}

function decodeId(encoded: string | undefined): string | undefined {
  if (encoded === undefined || encoded.length === 0) return undefined;
  try {
    const id = decodeURIComponent(encoded);
    return id.length > 0 && id.length <= maxIdLength ? id : undefined;
  } catch {
    return undefined;
  }
}
