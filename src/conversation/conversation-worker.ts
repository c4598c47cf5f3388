import { loggableError, type Logger } from "../logger.ts";
import type { AnswerRefiner } from "../questions/answer-refiner.ts";
import type { Database } from "../store/database.ts";
import type { ConversationAddress, TurnHandler } from "./turn-handler.ts";

/**
 * One pass of the conversation worker: finds conversations with pending inbox rows (oldest first) and
 * handles one message of each, several conversations at a time. Each conversation's own messages are
 * handled in order by the turn handler's lock. Returns the number of messages handled. A question reply the
 * turn held for the model is refined in the background, so one slow model never delays other people's turns.
 */
export function createConversationWorker(deps: {
  database: Database;
  turns: TurnHandler;
  logger: Logger;
  onHandled?: () => void;
  /** With a question model: improves held question replies after their turn has committed. */
  answers?: AnswerRefiner;
  batchSize?: number;
  concurrency?: number;
}) {
  const batchSize = deps.batchSize ?? 200;
  const concurrency = deps.concurrency ?? 4;

  async function pendingConversations(): Promise<ConversationAddress[]> {
    const rows = await deps.database.client.inboxMessage.findMany({
      where: { status: "pending" },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { channel: true, channelUserId: true },
    });
    const seen = new Map<string, ConversationAddress>();
    for (const row of rows) seen.set(`${row.channel}\u0000${row.channelUserId}`, row);
    return [...seen.values()];
  }

  return {
    /** Resolves when every question reply being refined has been released (for shutdown and tests). */
    async idle(): Promise<void> {
      await deps.answers?.idle();
    },
    async handlePending(): Promise<number> {
      const conversations = await pendingConversations();
      let handled = 0;
      for (let start = 0; start < conversations.length; start += concurrency) {
        const results = await Promise.all(
          conversations.slice(start, start + concurrency).map(async (address) => {
            try {
              const handled = await deps.turns.handleNext(address);
              if (handled === null) return 0;
              if (handled.question !== undefined && deps.answers !== undefined) {
                void deps.answers.refine(handled.question).then(() => deps.onHandled?.());
              }
              deps.logger.debug({ inboxId: handled.inboxId, replies: handled.messages }, "message handled");
              return 1;
            } catch (error) {
              deps.logger.error({ error: loggableError(error), channel: address.channel }, "message could not be handled; it will be retried");
              return 1;
            }
          }),
        );
        const count = results.reduce<number>((sum, n) => sum + n, 0);
        if (count > 0) deps.onHandled?.();
        handled += count;
      }
      return handled;
    },
  };
}

export type ConversationWorker = ReturnType<typeof createConversationWorker>;
