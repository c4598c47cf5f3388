// Crash safety of the whole pipeline with REAL processes: `loa start` is SIGKILLed again and again while people
// write to it (HTTP accepts), while the worker commits turns and while the dispatcher sends, and restarted each
// time. A platform-like client retries every message with the same external id until it gets 202. In the end
// each person must have received exactly what the in-process pipeline sends for the same messages: nothing
// lost, nothing twice, in order.
import { afterEach, describe, expect, it } from "vitest";
import {
  demoScript,
  killAllLoaProcesses,
  postUntilAccepted,
  queueCounts,
  readDeliveries,
  startLoa,
  waitForDrain,
  withDatabase,
  type LoaProcess,
} from "../support/loa-process.ts";
import { createPipeline } from "../support/pipeline-harness.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

/** People writing at the same time. */
const conversations = 12;
/** Kills per database, at least; more happen while people are still writing. */
const minimumKills = 16;
/** Kills per database, at most (whoever is still writing then finishes against the last process). */
const maximumKills = 20;
/**
 * When each kill lands: a number is milliseconds after "Loa is running", from a few ms (the burst of messages
 * retried while the process was down, the first worker pass) to 1.5 s (turns and sends in full flow);
 * "202" is right after the next 202 reaches a person, while other people's POSTs are being accepted, so some
 * inbox rows are committed whose 202 never leaves (their retries must come back as redeliveries).
 */
const killPlan: Array<number | "202"> = [5, 700, "202", 40, 1500, 15, "202", 250, 1100, 80, "202", 450, 10, 900, "202", 150, 1300, 30, "202", 600, 350, 60, "202", 1000];
/** A person's pause between getting 202 and sending her next message: spreads the script over many kills. */
const thinkTimeMs = { min: 10, max: 200 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the in-process pipeline delivers for the script: one entry per delivered message, its content keys. */
async function referenceTranscript(kind: (typeof databaseKinds)[number]): Promise<string[][]> {
  const pipeline = await createPipeline(kind);
  try {
    const transcript: string[][] = [];
    for (const text of demoScript) transcript.push(...(await pipeline.say("reference", text)));
    return transcript;
  } finally {
    await pipeline.drop();
  }
}

type KillRecord = {
  when: number | "202";
  afterReadyMs: number;
  postsInFlight: number;
  inboxPending: number;
  outboxPending: number;
  outboxSending: number;
  deliveredUnmarked: number;
};

describe.each(databaseKinds)("crash safety on %s", (kind) => {
  let testDatabase: TestDatabase | undefined;

  afterEach(async () => {
    await killAllLoaProcesses();
    await testDatabase?.drop();
    testDatabase = undefined;
  });

  it(
    "killing the process with SIGKILL at any point loses no accepted message and, after restart, sends none twice",
    async () => {
      const startedAt = Date.now();
      const reference = await referenceTranscript(kind);
      testDatabase = await createTestDatabase(kind);
      // Connections are opened only while no process starts (see withDatabase): the test's own one is closed.
      await testDatabase.database.close();
      const url = testDatabase.url;
      const env = { DATABASE_URL: url };

      let current: LoaProcess = await startLoa({ env });
      const port = current.port;
      const baseUrl = () => current.baseUrl;
      // A death this test did not cause (a signal from elsewhere on a shared machine) is one more crash: it is
      // counted and the process restarted; only a start-up that fails on its own (an exit code) fails the test.
      let otherDeaths = 0;
      const restart = async (): Promise<LoaProcess> => {
        for (;;) {
          try {
            return await startLoa({ env, port });
          } catch (error) {
            const killedBySignal = error instanceof Error && /exited before it was ready \(code null, signal SIG/.test(error.message);
            if (!killedBySignal || otherDeaths >= 3) throw error;
            otherDeaths += 1;
          }
        }
      };

      // The people: each sends the script in order, one message at a time, the next only after a 202.
      // Generous: each of the restarts loads the whole bot (flows, content, places, the question index), which takes
      // several seconds on a busy two-core machine; the deadline only bounds a run that is stuck.
      const deadline = Date.now() + 300_000;
      let postsInFlight = 0;
      let duplicates = 0;
      let retries = 0;
      const accepted = new Map<string, number[]>();
      let nextAccept: { promise: Promise<void>; resolve: () => void } | undefined;
      const acceptedOne = () => {
        nextAccept?.resolve();
        nextAccept = undefined;
      };
      const waitForAccept = () => {
        if (!nextAccept) {
          let resolve = () => {};
          const promise = new Promise<void>((settle) => (resolve = settle));
          nextAccept = { promise, resolve };
        }
        return nextAccept.promise;
      };
      const person = async (index: number) => {
        const conversationId = `crash-${index}`;
        const inboxIds: number[] = [];
        accepted.set(conversationId, inboxIds);
        for (const [position, text] of demoScript.entries()) {
          const result = await postUntilAccepted(
            baseUrl,
            { conversationId, externalId: `${conversationId}.${position}`, text },
            { deadline, retryDelayMs: 50, onTry: (started) => void (postsInFlight += started ? 1 : -1) },
          );
          inboxIds.push(result.inboxId);
          acceptedOne();
          if (result.duplicate) duplicates += 1;
          retries += result.tries - 1;
          await sleep(thinkTimeMs.min + Math.random() * (thinkTimeMs.max - thinkTimeMs.min));
        }
      };
      let writing = true;
      const people = Promise.all(Array.from({ length: conversations }, (_, index) => person(index))).finally(() => {
        writing = false;
      });
      people.catch(() => undefined); // awaited below; a failure must not end the kill loop unseen

      // The power cuts: kill at the next delay after ready, look at what the dead process left, restart.
      const kills: KillRecord[] = [];
      let killsWhileWriting = 0;
      while ((writing || kills.length < minimumKills) && kills.length < maximumKills) {
        const when = killPlan[kills.length % killPlan.length] ?? 100;
        const readyAt = Date.now();
        await (when === "202" ? Promise.race([waitForAccept(), sleep(1500)]) : sleep(when));
        const afterReadyMs = Date.now() - readyAt;
        const inFlight = postsInFlight;
        const wasWriting = writing;
        if (!current.running()) otherDeaths += 1;
        await current.kill();
        const left = await withDatabase(url, queueCounts);
        kills.push({ when, afterReadyMs, postsInFlight: inFlight, ...left });
        if (wasWriting) killsWhileWriting += 1;
        current = await restart();
      }

      await people;
      const expectedInbox = conversations * demoScript.length;
      await withDatabase(url, (db) => waitForDrain(db, expectedInbox));
      if (!current.running()) otherDeaths += 1;
      const finalExit = await current.stop();
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);

      const phases = {
        "kills": kills.length,
        "while people were still writing": killsWhileWriting,
        "with POSTs in flight (accept)": kills.filter((k) => k.postsInFlight > 0).length,
        "with accepted messages unhandled (turns)": kills.filter((k) => k.inboxPending > 0).length,
        "with replies claimed but not marked sent (mid-send)": kills.filter((k) => k.outboxSending > 0).length,
        "of which delivered before the mark (resend must be deduplicated)": kills.filter((k) => k.deliveredUnmarked > 0).length,
        "with replies waiting to be sent": kills.filter((k) => k.outboxPending > 0).length,
      };
      console.log(
        `[crash-safety ${kind}] ${seconds} s, ${expectedInbox} messages from ${conversations} people, ` +
          `${retries} client retries, ${duplicates} answered as redeliveries, last process exited with ${JSON.stringify(finalExit)}` +
          (otherDeaths > 0 ? `, ${otherDeaths} deaths by a signal from outside the test` : "") +
          "\n" +
          Object.entries(phases)
            .map(([label, count]) => `  ${label}: ${count}`)
            .join("\n") +
          `\n  per kill (ms after ready, * = right after a 202 / posts in flight / inbox pending / outbox pending / sending / delivered-unmarked):\n    ` +
          kills.map((k) => `${k.afterReadyMs}${k.when === "202" ? "*" : ""}/${k.postsInFlight}/${k.inboxPending}/${k.outboxPending}/${k.outboxSending}/${k.deliveredUnmarked}`).join(" "),
      );

      expect(kills.length).toBeGreaterThanOrEqual(minimumKills);

      await withDatabase(url, async (db) => {
        // Nothing accepted twice: one inbox row per message, all handled, and each 202 named its own row.
        const inbox = await db.inboxMessage.findMany({ orderBy: { id: "asc" } });
        expect(inbox).toHaveLength(expectedInbox);
        expect(inbox.filter((row) => row.status !== "done").map((row) => ({ id: row.id, status: row.status, errorCode: row.errorCode }))).toEqual([]);
        for (const [conversationId, inboxIds] of accepted) {
          expect(inboxIds, conversationId).toHaveLength(demoScript.length);
          expect(inboxIds, `${conversationId}: inbox rows in the order she wrote`).toEqual([...inboxIds].sort((a, b) => a - b));
          expect(new Set(inboxIds).size, conversationId).toBe(demoScript.length);
        }

        // Every reply sent, each delivered once, and each delivery is one outbox row's.
        const outbox = await db.outboxMessage.findMany({ orderBy: { id: "asc" } });
        expect(outbox.filter((row) => row.status !== "sent").map((row) => ({ id: row.id, status: row.status }))).toEqual([]);
        const deliveries = await db.simulatorMessage.findMany({ orderBy: { id: "asc" } });
        expect(new Set(deliveries.map((row) => row.sendKey)).size).toBe(deliveries.length);
        expect(deliveries).toHaveLength(outbox.length);
        const outboxById = new Map(outbox.map((row) => [row.id, row]));
        for (const delivery of deliveries) {
          const row = outboxById.get(Number(delivery.sendKey));
          expect(row, `delivery ${delivery.id} has an outbox row`).toBeDefined();
          expect(delivery.conversationId).toBe(row?.channelUserId);
          expect(delivery.payload).toBe(row?.payload);
        }

        // Each person got exactly the reference conversation, in order (by outbox row and by delivery time).
        const delivered = await readDeliveries(db);
        expect(delivered.size).toBe(conversations);
        for (const [conversationId] of accepted) {
          const received = delivered.get(conversationId) ?? [];
          const byOutbox = [...received].sort((a, b) => a.outboxId - b.outboxId).map((d) => d.contentKeys);
          expect(byOutbox, `${conversationId}: replies by outbox row`).toEqual(reference);
          expect(received.map((d) => d.contentKeys), `${conversationId}: replies in delivery order`).toEqual(reference);
        }
      });
    },
    420_000,
  );
});
