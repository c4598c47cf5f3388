import { setTimeout as delay } from "node:timers/promises";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrismaClient } from "../../src/store/generated/sqlite/client.ts";
import { sqliteFilePath, type DatabaseClient } from "../../src/store/database.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const plainWrites = 50;
const failingTransactions = 5;

function contact(id: string) {
  const now = new Date();
  return { id, channel: "telegram", channelUserId: id, pseudonym: `pseudonym-${id}`, createdAt: now, lastSeenAt: now };
}

/**
 * Opens interactive transactions that each write and then throw, and issues plain writes while the first
 * one is open. Returns how many rows of each kind are left.
 */
async function plainWritesDuringFailingTransactions(client: DatabaseClient): Promise<{ plain: number; transactional: number }> {
  let firstOpened!: () => void;
  const opened = new Promise<void>((resolve) => (firstOpened = resolve));
  let letTransactionsFail!: () => void;
  const gate = new Promise<void>((resolve) => (letTransactionsFail = resolve));

  const transactions = Array.from({ length: failingTransactions }, (_, index) =>
    client
      .$transaction(async (tx) => {
        await tx.contact.create({ data: contact(`tx-${index}`) });
        firstOpened();
        await gate;
        throw new Error("the turn failed");
      })
      .catch((error: unknown) => error),
  );
  await opened;
  const writes = Promise.allSettled(Array.from({ length: plainWrites }, (_, index) => client.contact.create({ data: contact(`plain-${index}`) })));
  // Unserialised, the writes finish inside the open transaction; serialised, they wait for it: let it fail either way.
  await Promise.race([writes, delay(200)]);
  letTransactionsFail();

  const outcomes = await Promise.all(transactions);
  expect(outcomes.every((outcome) => outcome instanceof Error && outcome.message.includes("the turn failed"))).toBe(true);
  const settled = await writes;
  expect(settled.filter((result) => result.status === "rejected")).toEqual([]);
  return {
    plain: await client.contact.count({ where: { id: { startsWith: "plain-" } } }),
    transactional: await client.contact.count({ where: { id: { startsWith: "tx-" } } }),
  };
}

/** Resolves to "done" when `work` finishes within `ms`, else "stuck": a held lock must fail the test, not hang it. */
async function within<T>(ms: number, work: Promise<T>): Promise<"done" | "stuck"> {
  return Promise.race([work.then(() => "done" as const), delay(ms).then(() => "stuck" as const)]);
}

describe("SQLite serial adapter", () => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await createTestDatabase("sqlite");
  });

  afterEach(async () => {
    await test?.drop();
  });

  it("keeps every plain write issued while interactive transactions are open and then roll back", async () => {
    const rows = await plainWritesDuringFailingTransactions(test.database.client);
    expect(rows).toEqual({ plain: plainWrites, transactional: 0 });
  });

  it("is needed: without it the same plain writes are rolled back with the transaction", async () => {
    await test.database.close();
    const unwrapped = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: sqliteFilePath(test.url), timeout: 5000 }) });
    try {
      const rows = await plainWritesDuringFailingTransactions(unwrapped);
      expect(rows.transactional).toBe(0);
      expect(rows.plain).toBeLessThan(plainWrites);
    } finally {
      await unwrapped.$disconnect();
    }
  });

  it("lets go of the connection when a transaction times out", async () => {
    const { client } = test.database;
    const timedOut = await client
      .$transaction(
        async (tx) => {
          await tx.contact.create({ data: contact("slow") });
          await delay(300);
        },
        { timeout: 100 },
      )
      .catch((error: unknown) => error);
    expect(timedOut).toMatchObject({ code: "P2028" });

    expect(await within(2000, client.contact.create({ data: contact("after") }))).toBe("done");
    expect(await client.contact.findMany({ select: { id: true } })).toEqual([{ id: "after" }]);
  });

  it("lets go of the connection when COMMIT itself fails", async () => {
    const { client } = test.database;
    const now = new Date();
    const failedCommit = await client
      .$transaction(async (tx) => {
        // Checked at COMMIT instead of at the insert: the commit fails and SQLite keeps the transaction open.
        await tx.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON");
        await tx.session.create({ data: { contactId: "nobody", state: "{}", updatedAt: now } });
      })
      .catch((error: unknown) => error);
    expect(failedCommit).toBeInstanceOf(Error);

    expect(await within(2000, client.contact.create({ data: contact("after") }))).toBe("done");
    expect(await client.session.count()).toBe(0);
    expect(await within(2000, client.$transaction(async (tx) => tx.contact.create({ data: contact("next") })))).toBe("done");
  });

  it("runs committing transactions, batches and plain writes side by side without losing any", async () => {
    const { client } = test.database;
    const work = Array.from({ length: 20 }, (_, index) =>
      index % 2 === 0
        ? client.$transaction(async (tx) => {
            await tx.contact.create({ data: contact(`tx-${index}`) });
            await delay(2);
            await tx.contact.update({ where: { id: `tx-${index}` }, data: { turnCount: { increment: 1 } } });
          })
        : client.contact.create({ data: contact(`plain-${index}`) }),
    );
    const batch = client.$transaction([client.contact.create({ data: contact("batch-1") }), client.contact.create({ data: contact("batch-2") })]);
    await Promise.all([...work, batch]);
    expect(await client.contact.count()).toBe(22);
    expect(await client.contact.count({ where: { turnCount: 1 } })).toBe(10);
  });
});
