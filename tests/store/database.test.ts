import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseKind, isUniqueViolation, redactDatabaseUrl } from "../../src/store/database.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

describe.each(databaseKinds)("database on %s", (kind) => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
  });

  afterEach(async () => {
    await test?.drop();
  });

  it("opens the kind its URL names", () => {
    expect(test.database.kind).toBe(kind);
  });

  it("reads back what it writes, dates included", async () => {
    const { client } = test.database;
    const consentedAt = new Date("2025-03-01T08:30:00.123Z");
    await client.contact.create({
      data: {
        id: "c1",
        channel: "telegram",
        channelUserId: "42",
        pseudonym: "p1",
        groups: JSON.stringify({ ethnicity: "hmong" }),
        consentedAt,
        createdAt: consentedAt,
        lastSeenAt: consentedAt,
      },
    });
    const found = await client.contact.findUniqueOrThrow({
      where: { channel_channelUserId: { channel: "telegram", channelUserId: "42" } },
    });
    expect(found).toMatchObject({ id: "c1", pseudonym: "p1", consentedAt, turnCount: 0 });
    const inRange = await client.contact.count({ where: { consentedAt: { gte: new Date("2025-03-01T00:00:00Z") } } });
    expect(inRange).toBe(1);
  });

  it("rolls back every write of a transaction that throws", async () => {
    const { client } = test.database;
    const now = new Date();
    await expect(
      client.$transaction(async (tx) => {
        await tx.contact.create({ data: { id: "c1", channel: "zalo", channelUserId: "1", pseudonym: "p1", createdAt: now, lastSeenAt: now } });
        await tx.session.create({ data: { contactId: "c1", state: "{}", updatedAt: now } });
        throw new Error("abandon the turn");
      }),
    ).rejects.toThrow("abandon the turn");
    expect(await client.contact.count()).toBe(0);
    expect(await client.session.count()).toBe(0);
  });

  it("reports a duplicate inbound message as a unique violation", async () => {
    const { client } = test.database;
    const message = { channel: "telegram", externalId: "update-7", channelUserId: "42", receivedAt: new Date() };
    await client.inboxMessage.create({ data: message });

    const duplicate = await client.inboxMessage.create({ data: message }).catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);

    const inTransaction = await client
      .$transaction(async (tx) => tx.inboxMessage.create({ data: message }))
      .catch((error: unknown) => error);
    expect(isUniqueViolation(inTransaction)).toBe(true);

    const raw = await client
      .$executeRaw`INSERT INTO "InboxMessage" ("channel", "externalId", "channelUserId", "receivedAt") VALUES (${message.channel}, ${message.externalId}, ${message.channelUserId}, ${message.receivedAt})`
      .catch((error: unknown) => error);
    expect(isUniqueViolation(raw)).toBe(true);
  });

  it("does not report other failures as unique violations", async () => {
    const { client } = test.database;
    const now = new Date();
    const missingContact = await client.session
      .create({ data: { contactId: "nobody", state: "{}", updatedAt: now } })
      .catch((error: unknown) => error);
    expect(missingContact).toBeInstanceOf(Error);
    expect(isUniqueViolation(missingContact)).toBe(false);
    expect(isUniqueViolation(new Error("P2002"))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});

describe("SQLite settings", () => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await createTestDatabase("sqlite");
  });

  afterEach(async () => {
    await test?.drop();
  });

  it("runs in WAL mode with synchronous NORMAL, foreign keys on and a 5 s busy timeout", async () => {
    const { client } = test.database;
    const pragma = async (name: string): Promise<unknown> => {
      const rows = await client.$queryRawUnsafe<Array<Record<string, unknown>>>(`PRAGMA ${name}`);
      return Object.values(rows[0] ?? {})[0];
    };
    expect(await pragma("journal_mode")).toBe("wal");
    expect(Number(await pragma("synchronous"))).toBe(1);
    expect(Number(await pragma("foreign_keys"))).toBe(1);
    expect(Number(await pragma("busy_timeout"))).toBe(5000);
  });
});

describe("database URLs", () => {
  it("selects the database from the URL", () => {
    expect(databaseKind("file:./data/loa.db")).toBe("sqlite");
    expect(databaseKind("data/loa.db")).toBe("sqlite");
    expect(databaseKind("postgres://loa@db/loa")).toBe("postgres");
    expect(databaseKind("postgresql://loa@db/loa")).toBe("postgres");
    expect(() => databaseKind("mysql://loa@db/loa")).toThrow(/Unsupported database URL/);
  });

  it("hides passwords, even ones holding an @", () => {
    expect(redactDatabaseUrl("postgres://loa:s3cret@db:5432/loa")).toBe("postgres://loa:***@db:5432/loa");
    expect(redactDatabaseUrl("postgres://loa:p@ss@db/loa")).toBe("postgres://loa:***@db/loa");
    expect(redactDatabaseUrl("postgres://loa@db/loa")).toBe("postgres://loa@db/loa");
    expect(redactDatabaseUrl("file:./data/loa.db")).toBe("file:./data/loa.db");
  });
});
