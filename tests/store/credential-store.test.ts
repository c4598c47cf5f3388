import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCredentialStore } from "../../src/store/credential-store.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

describe.each(databaseKinds)("credential store on %s", (kind) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await test.drop();
  });

  it("returns null before anything is saved, then the newest value", async () => {
    const store = createCredentialStore(test.database.client, () => new Date("2026-01-05T08:00:00Z"));
    expect(await store.load("zalo-oa:1")).toBeNull();
    await store.save("zalo-oa:1", '{"refreshToken":"r1"}');
    await store.save("zalo-oa:1", '{"refreshToken":"r2"}');
    expect(await store.load("zalo-oa:1")).toBe('{"refreshToken":"r2"}');
    expect(await store.load("zalo-oa:2")).toBeNull();
  });
});
