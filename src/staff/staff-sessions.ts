import { createHash, randomBytes } from "node:crypto";
import type { DatabaseClient } from "../store/database.ts";
import type { StaffAccounts } from "./staff-accounts.ts";
import type { StaffPrincipal } from "./staff-principal.ts";

/** How long a browser stays signed in: ended after `idleHours` without use, and after `maxDays` in any case. */
export type SessionPolicy = { idleHours: number; maxDays: number };

export const defaultSessionPolicy: SessionPolicy = { idleHours: 12, maxDays: 7 };

/** The SHA-256 of a token, as stored: a copied database holds no usable session or API token. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new random token: 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** A signed-in browser as the HTTP layer sees it: who, and the CSRF token her forms must send back. */
export type ActiveSession = { principal: StaffPrincipal; csrfToken: string; expiresAt: Date };

/**
 * Browser sessions for the console. The cookie holds a random token; the table holds its hash, the CSRF
 * token and the expiry. A session is extended on use (at most every few minutes, to spare the database) up to
 * its maximum age; signing out or disabling the account ends it.
 */
export function createStaffSessions(deps: { db: DatabaseClient; accounts: StaffAccounts; now: () => Date; policy?: SessionPolicy }) {
  const policy = deps.policy ?? defaultSessionPolicy;
  const idleMs = policy.idleHours * 3_600_000;
  const maxMs = policy.maxDays * 86_400_000;
  return {
    /** Starts a session; returns the cookie token (shown to nobody else) and the CSRF token. */
    async start(accountId: string): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
      const now = deps.now();
      const token = newToken();
      const csrfToken = newToken();
      const expiresAt = new Date(now.getTime() + idleMs);
      await deps.db.staffSession.create({ data: { tokenHash: tokenHash(token), accountId, csrfToken, createdAt: now, lastSeenAt: now, expiresAt } });
      return { token, csrfToken, expiresAt };
    },

    /** The session of a cookie token, or undefined when unknown, expired or its account is disabled. */
    async resolve(token: string): Promise<ActiveSession | undefined> {
      const now = deps.now();
      const row = await deps.db.staffSession.findUnique({ where: { tokenHash: tokenHash(token) } });
      if (row === null) return undefined;
      if (row.expiresAt <= now || row.createdAt.getTime() + maxMs <= now.getTime()) {
        await deps.db.staffSession.deleteMany({ where: { tokenHash: row.tokenHash } });
        return undefined;
      }
      const principal = await deps.accounts.principal(row.accountId);
      if (principal === undefined) return undefined;
      let expiresAt = row.expiresAt;
      if (now.getTime() - row.lastSeenAt.getTime() > 5 * 60_000) {
        expiresAt = new Date(Math.min(now.getTime() + idleMs, row.createdAt.getTime() + maxMs));
        await deps.db.staffSession.update({ where: { tokenHash: row.tokenHash }, data: { lastSeenAt: now, expiresAt } });
      }
      return { principal, csrfToken: row.csrfToken, expiresAt };
    },

    /** Ends one session (sign-out). */
    async end(token: string): Promise<void> {
      await deps.db.staffSession.deleteMany({ where: { tokenHash: tokenHash(token) } });
    },

    /** Ends every session of an account, e.g. after its password changed. */
    async endAll(accountId: string): Promise<void> {
      await deps.db.staffSession.deleteMany({ where: { accountId } });
    },
  };
}

/** The session store's interface, for code that is handed one. */
export type StaffSessions = ReturnType<typeof createStaffSessions>;
