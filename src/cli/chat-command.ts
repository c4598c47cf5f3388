import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { outboundMessageSchema, type OutboundMessage } from "../channels/outbound-message.ts";
import { simulatorChannel } from "../channels/simulator/simulator-adapter.ts";
import { LoaError } from "../errors.ts";
import type { Runtime } from "../runtime.ts";

/** How long one message may take to be answered before the terminal reports it. */
const replyTimeoutMs = 30_000;
const pollMs = 15;

/** Options of the terminal chat. */
export type ChatOptions = {
  runtime: Runtime;
  input: Readable;
  output: Writable;
  /** A person at a terminal: prompt and readable layout. Otherwise one message per input line. */
  interactive: boolean;
  /** One JSON object per bot message: text, content keys, options. */
  json: boolean;
  conversationId?: string;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the inbox row is handled and every reply it produced is delivered or dead, then returns the
 * replies from the simulator's mailbox in order. The worker and dispatcher that do the work may be in this
 * process or another one sharing the database.
 */
async function repliesTo(runtime: Runtime, inboxId: number): Promise<OutboundMessage[]> {
  const db = runtime.database.client;
  const deadline = Date.now() + replyTimeoutMs;
  while (Date.now() < deadline) {
    const inbox = await db.inboxMessage.findUnique({ where: { id: inboxId }, select: { status: true } });
    const handled = inbox === null || inbox.status !== "pending";
    const waiting = handled ? await db.outboxMessage.count({ where: { inboxId, status: { in: ["pending", "sending"] } } }) : 1;
    if (handled && waiting === 0) {
      const sent = await db.outboxMessage.findMany({ where: { inboxId }, select: { id: true }, orderBy: { id: "asc" } });
      const rows = await db.simulatorMessage.findMany({ where: { sendKey: { in: sent.map((row) => String(row.id)) } }, orderBy: { id: "asc" } });
      return rows.map((row) => outboundMessageSchema.parse(JSON.parse(row.payload)));
    }
    await sleep(pollMs);
  }
  throw new LoaError(`No reply within ${replyTimeoutMs / 1000} s`, "chat:timeout", { context: { inboxId } });
}

function formatMessage(message: OutboundMessage, options: { json: boolean; interactive: boolean }): string {
  if (options.json) {
    return JSON.stringify({ text: message.text, contentKeys: message.contentKeys, options: message.options ?? [] });
  }
  const lines = [options.interactive ? `Loa: ${message.text}` : message.text];
  message.options?.forEach((option, index) => lines.push(`  ${index + 1}. ${option.label}`));
  return lines.join("\n") + (options.interactive ? "\n" : "");
}

/**
 * `npm run chat`: talks to the bot in the terminal through the same inbox, engine, outbox and dispatcher
 * as real channels. Menus are numbered; type the number or the words. Each run is a new conversation
 * unless `--as <id>` names one. Returns when the input ends.
 */
export async function runChat(options: ChatOptions): Promise<void> {
  const conversationId = options.conversationId ?? `terminal-${randomUUID().slice(0, 8)}`;
  const write = (text: string) => options.output.write(`${text}\n`);
  const lines = createInterface({ input: options.input, terminal: false });
  if (options.interactive) {
    write("Loa – trò chuyện thử trong terminal. Gõ tin nhắn rồi nhấn Enter; Ctrl+D để thoát.");
    write('Gợi ý: gõ "xin chào" để bắt đầu, "cứu tôi" để xem số khẩn cấp.\n');
    options.output.write("Bạn: ");
  }
  for await (const line of lines) {
    const text = line.trim();
    if (text.length > 0) {
      const accepted = await options.runtime.accept({
        channel: simulatorChannel,
        externalId: randomUUID(),
        channelUserId: conversationId,
        message: { kind: "text", text },
      });
      for (const message of await repliesTo(options.runtime, accepted.inboxId)) write(formatMessage(message, options));
    }
    if (options.interactive) options.output.write("Bạn: ");
  }
}
