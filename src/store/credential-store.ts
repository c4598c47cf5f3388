import type { DatabaseClient } from "./database.ts";

/**
 * Rotated platform credentials (e.g. Zalo OA tokens) kept in the database, so every process and every
 * restart uses the newest. Values are opaque strings (JSON by convention) and are never logged.
 */
export function createCredentialStore(db: DatabaseClient, now: () => Date) {
  return {
    async load(key: string): Promise<string | null> {
      return (await db.platformCredential.findUnique({ where: { key } }))?.value ?? null;
    },
    async save(key: string, value: string): Promise<void> {
      await db.platformCredential.upsert({
        where: { key },
        create: { key, value, updatedAt: now() },
        update: { value, updatedAt: now() },
      });
    },
  };
}

export type CredentialStore = ReturnType<typeof createCredentialStore>;
