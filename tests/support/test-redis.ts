import { Redis } from "ioredis";

/** The Redis every test run uses, as on the CI machine. */
export const testRedisUrl = "redis://127.0.0.1:6379";

/** Fails with a message naming the address when Redis does not answer, so a missing server never passes silently. */
export async function requireRedis(what: string): Promise<void> {
  const client = new Redis(testRedisUrl, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`Redis is required for ${what} at ${testRedisUrl} (start redis-server): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under a queue prefix; returns how many. */
export async function dropQueueKeys(prefix: string): Promise<number> {
  const client = new Redis(testRedisUrl);
  try {
    let deleted = 0;
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1_000);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== "0");
    return deleted;
  } finally {
    client.disconnect();
  }
}
