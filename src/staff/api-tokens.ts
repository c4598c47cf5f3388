import { randomUUID } from "node:crypto";
import type { DatabaseClient } from "../store/database.ts";
import type { StaffAccounts } from "./staff-accounts.ts";
import type { StaffPrincipal } from "./staff-principal.ts";
import { newToken, tokenHash } from "./staff-sessions.ts";

/** API tokens start with this, so a leaked one is easy to recognise and search for. */
export const apiTokenPrefix = "loa_";

/**
 * Tokens for automation: a script or another system calls the staff API with `Authorization: Bearer loa_…`
 * and acts with its account's role and scope. Only the hash is stored; the token is shown once. Revoked
 * tokens and tokens of disabled accounts stop working at once.
 */
export function createApiTokens(deps: { db: DatabaseClient; accounts: StaffAccounts; now: () => Date }) {
  return {
    async create(accountId: string, name: string): Promise<{ id: string; token: string }> {
      const id = randomUUID();
      const token = apiTokenPrefix + newToken();
      await deps.db.staffApiToken.create({ data: { id, accountId, name: name.trim().slice(0, 80), tokenHash: tokenHash(token), createdAt: deps.now() } });
      return { id, token };
    },

    /** The principal of a token, or undefined when it is unknown or revoked. Marks when it was last used. */
    async resolve(token: string): Promise<StaffPrincipal | undefined> {
      if (!token.startsWith(apiTokenPrefix)) return undefined;
      const row = await deps.db.staffApiToken.findUnique({ where: { tokenHash: tokenHash(token) } });
      if (row === null || row.revokedAt !== null) return undefined;
      const principal = await deps.accounts.principal(row.accountId);
      if (principal === undefined) return undefined;
      const now = deps.now();
      if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
        await deps.db.staffApiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
      }
      return principal;
    },

    /** Revokes a token of this account; returns false when it has no such token. */
    async revoke(accountId: string, id: string): Promise<boolean> {
      return (await deps.db.staffApiToken.updateMany({ where: { id, accountId, revokedAt: null }, data: { revokedAt: deps.now() } })).count > 0;
    },

    async list(accountId: string): Promise<Array<{ id: string; name: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }>> {
      return deps.db.staffApiToken.findMany({
        where: { accountId },
        select: { id: true, name: true, createdAt: true, lastUsedAt: true, revokedAt: true },
        orderBy: { createdAt: "asc" },
      });
    },
  };
}

/** The API token store's interface, for code that is handed one. */
export type ApiTokens = ReturnType<typeof createApiTokens>;
