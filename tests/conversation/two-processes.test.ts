// Two REAL `loa start` processes on one PostgreSQL database, each taking half of every person's messages:
// consecutive messages of one person arrive at different processes and pile up unanswered, so both workers
// compete for the same conversations. The contact row lock must keep each person's turns in order and
// handled once, whichever process takes them, and both dispatchers must deliver each reply once, in order.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  demoScript,
  killAllLoaProcesses,
  postUntilAccepted,
  readDeliveries,
  startLoa,
  waitForDrain,
  type LoaProcess,
} from "../support/loa-process.ts";
import { createPipeline } from "../support/pipeline-harness.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

/** People writing at the same time. */
const conversations = 30;

/** The inbox ids in the worker's "message handled" debug lines a process wrote. */
function handledInboxIds(child: LoaProcess): number[] {
  const ids: number[] = [];
  for (const line of child.stdoutLines) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as { msg?: unknown; inboxId?: unknown };
      if (entry.msg === "message handled" && typeof entry.inboxId === "number") ids.push(entry.inboxId);
    } catch {
      // not a log line
    }
  }
  return ids;
}

describe("two processes on one PostgreSQL database", () => {
  let testDatabase: TestDatabase | undefined;

  afterEach(async () => {
    await killAllLoaProcesses();
    await testDatabase?.drop();
    testDatabase = undefined;
  });
  afterAll(killAllLoaProcesses);

  it(
    "share every person's messages and still answer each once, in order, as one process would",
    async () => {
      const startedAt = Date.now();
      const pipeline = await createPipeline("postgres");
      const reference: string[][] = [];
      try {
        for (const text of demoScript) reference.push(...(await pipeline.say("reference", text)));
      } finally {
        await pipeline.drop();
      }

      testDatabase = await createTestDatabase("postgres");
      const db = testDatabase.database.client;
      const env = { DATABASE_URL: testDatabase.url, LOG_LEVEL: "debug" };
      const processes = await Promise.all([startLoa({ env }), startLoa({ env })]);

      // Each person sends the script without waiting for replies, message k to process (person + k) mod 2.
      const deadline = Date.now() + 120_000;
      let duplicates = 0;
      const acceptedBy = new Map<number, number>();
      await Promise.all(
        Array.from({ length: conversations }, async (_, index) => {
          const conversationId = `two-${index}`;
          for (const [position, text] of demoScript.entries()) {
            const which = (index + position) % 2;
            const target = processes[which];
            if (!target) throw new Error("no process");
            const result = await postUntilAccepted(() => target.baseUrl, { conversationId, externalId: `${conversationId}.${position}`, text }, { deadline });
            if (result.duplicate) duplicates += 1;
            acceptedBy.set(result.inboxId, which);
          }
        }),
      );
      const expectedInbox = conversations * demoScript.length;
      await waitForDrain(db, expectedInbox);
      const exits = await Promise.all(processes.map((child) => child.stop()));
      const handled = processes.map(handledInboxIds);
      const split = handled.map((ids) => ids.length);
      const handledByOther = handled.map((ids, which) => ids.filter((id) => acceptedBy.get(id) !== which).length);
      console.log(
        `[two-processes] ${((Date.now() - startedAt) / 1000).toFixed(1)} s, ${expectedInbox} messages from ${conversations} people; ` +
          `handled by process A: ${split[0]} (${handledByOther[0]} of them accepted by B), ` +
          `by process B: ${split[1]} (${handledByOther[1]} of them accepted by A)`,
      );

      expect(exits).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
      expect(duplicates).toBe(0);
      for (const [index, count] of split.entries()) expect(count, `messages handled by process ${"AB"[index]}`).toBeGreaterThan(0);
      const allHandled = handled.flat();
      expect(allHandled, "each message handled once in all").toHaveLength(expectedInbox);
      expect(new Set(allHandled).size, "no message handled by both processes").toBe(expectedInbox);

      const inbox = await db.inboxMessage.findMany();
      expect(inbox).toHaveLength(expectedInbox);
      expect(inbox.filter((row) => row.status !== "done").map((row) => ({ id: row.id, status: row.status, errorCode: row.errorCode }))).toEqual([]);
      const outbox = await db.outboxMessage.findMany();
      expect(outbox.filter((row) => row.status !== "sent").map((row) => ({ id: row.id, status: row.status }))).toEqual([]);
      const deliveries = await db.simulatorMessage.findMany();
      expect(deliveries).toHaveLength(outbox.length);
      expect(new Set(deliveries.map((row) => row.sendKey)).size).toBe(deliveries.length);
      const outboxIds = new Set(outbox.map((row) => row.id));
      expect(deliveries.filter((row) => !outboxIds.has(Number(row.sendKey)))).toEqual([]);

      const delivered = await readDeliveries(db);
      expect(delivered.size).toBe(conversations);
      for (let index = 0; index < conversations; index += 1) {
        const conversationId = `two-${index}`;
        const received = delivered.get(conversationId) ?? [];
        const byOutbox = [...received].sort((a, b) => a.outboxId - b.outboxId).map((d) => d.contentKeys);
        expect(byOutbox, `${conversationId}: replies by outbox row`).toEqual(reference);
        expect(received.map((d) => d.contentKeys), `${conversationId}: replies in delivery order`).toEqual(reference);
      }
    },
    180_000,
  );
});
