import type { DatabaseClient } from "../store/database.ts";
import type { AuditLog } from "./audit-log.ts";
import { hashPassword, needsRehash, verifyPassword } from "./password-hash.ts";
import type { StaffAccounts } from "./staff-accounts.ts";
import { usernameSchema } from "./staff-accounts.ts";
import type { StaffPrincipal } from "./staff-principal.ts";

/** How failed sign-ins are slowed and then locked. */
export type SignInPolicy = {
  /** Failures in a row after which the account is locked. */
  lockAfter: number;
  lockMinutes: number;
  /** Delay before answering a failure, doubled with each failure in a row, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
};

export const defaultSignInPolicy: SignInPolicy = { lockAfter: 5, lockMinutes: 15, baseDelayMs: 250, maxDelayMs: 4_000 };

/** The result of a sign-in: the principal, or why not and how long to wait before answering. */
export type SignInResult =
  | { ok: true; principal: StaffPrincipal }
  | { ok: false; reason: "invalid" | "locked"; lockedUntil?: Date; delayMs: number };

/** A hash to compare against when the name is unknown, so an unknown name takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

/**
 * Checks a login name and password. Every failure is counted on the account (when it exists) and audited;
 * the caller waits `delayMs` before answering, so guessing slows down, and after `lockAfter` failures in a
 * row the account is refused until `lockedUntil`, even with the right password. The answer never says
 * whether the name exists.
 */
export function createSignIn(deps: { db: DatabaseClient; accounts: StaffAccounts; audit: AuditLog; now: () => Date; policy?: SignInPolicy }) {
  const policy = deps.policy ?? defaultSignInPolicy;
  const delayFor = (failures: number) => Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return async function signIn(typedName: string, password: string): Promise<SignInResult> {
    const now = deps.now();
    const parsed = usernameSchema.safeParse(typedName);
    const row = parsed.success ? await deps.db.staffAccount.findUnique({ where: { username: parsed.data } }) : null;
    const auditedName = typedName.trim().slice(0, 60);
    if (row === null || row.disabled) {
      decoyHash ??= hashPassword("decoy password that never matches");
      await verifyPassword(password, await decoyHash);
      await deps.audit.record({ accountId: null, username: auditedName, action: "sign-in", outcome: "refused", detail: { reason: "unknown-account" } });
      return { ok: false, reason: "invalid", delayMs: policy.baseDelayMs };
    }
    if (row.lockedUntil !== null && row.lockedUntil > now) {
      await deps.audit.record({ accountId: row.id, username: auditedName, action: "sign-in", outcome: "refused", detail: { reason: "locked" } });
      return { ok: false, reason: "locked", lockedUntil: row.lockedUntil, delayMs: policy.baseDelayMs };
    }
    if (!(await verifyPassword(password, row.passwordHash))) {
      // Counted with an atomic increment, so parallel guesses cannot slip past the lock.
      const failures = (await deps.db.staffAccount.update({ where: { id: row.id }, data: { failedSignIns: { increment: 1 } } })).failedSignIns;
      const lockedUntil = failures >= policy.lockAfter ? new Date(now.getTime() + policy.lockMinutes * 60_000) : null;
      if (lockedUntil !== null) await deps.db.staffAccount.update({ where: { id: row.id }, data: { failedSignIns: 0, lockedUntil } });
      await deps.audit.record({ accountId: row.id, username: auditedName, action: "sign-in", outcome: "refused", detail: { reason: lockedUntil === null ? "wrong-password" : "locked-now", failures } });
      return lockedUntil === null
        ? { ok: false, reason: "invalid", delayMs: delayFor(failures) }
        : { ok: false, reason: "locked", lockedUntil, delayMs: delayFor(failures) };
    }
    await deps.db.staffAccount.update({
      where: { id: row.id },
      data: { failedSignIns: 0, lockedUntil: null, lastSignInAt: now, ...(needsRehash(row.passwordHash) ? { passwordHash: await hashPassword(password) } : {}) },
    });
    const principal = await deps.accounts.principal(row.id);
    if (principal === undefined) return { ok: false, reason: "invalid", delayMs: policy.baseDelayMs };
    await deps.audit.record({ accountId: row.id, username: auditedName, action: "sign-in", outcome: "ok" });
    return { ok: true, principal };
  };
}

/** A sign-in function, for code that is handed one. */
export type SignIn = ReturnType<typeof createSignIn>;
