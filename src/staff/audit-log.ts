import type { DatabaseClient } from "../store/database.ts";

/** What staff did, as recorded: sign-ins, exports, imports, directory edits, campaigns, targets, sessions and reports. */
export type AuditAction =
  | "sign-in"
  | "sign-out"
  | "api-token-created"
  | "api-token-revoked"
  | "account-created"
  | "password-changed"
  | "team-created"
  | "directory-import"
  | "directory-export"
  | "directory-edit"
  | "places-import"
  | "campaign-changed"
  | "targets-changed"
  | "targets-import"
  | "targets-export"
  | "outreach-session-changed"
  | "report-export";

/** One audit record as written; `detail` holds counts, codes and reasons, never message text or a password. */
export type AuditRecord = {
  accountId: string | null;
  /** Only for sign-in events: the name as typed, so repeated attempts on one name can be seen. */
  username?: string;
  action: AuditAction;
  target?: string;
  outcome: "ok" | "refused";
  detail?: Record<string, string | number | boolean>;
};

/** A stored audit record, newest first when listed. */
export type AuditEntry = AuditRecord & { id: number; at: Date };

/** The audit log: an append-only table read by admins. */
export function createAuditLog(db: DatabaseClient, now: () => Date) {
  return {
    async record(entry: AuditRecord): Promise<void> {
      await db.auditEvent.create({
        data: {
          at: now(),
          accountId: entry.accountId,
          username: entry.username ?? null,
          action: entry.action,
          target: entry.target ?? null,
          outcome: entry.outcome,
          detail: JSON.stringify(entry.detail ?? {}),
        },
      });
    },

    /** The newest entries first, optionally of one account. */
    async list(filter: { accountId?: string; limit?: number } = {}): Promise<Array<{ id: number; at: Date; accountId: string | null; username: string | null; action: string; target: string | null; outcome: string; detail: string }>> {
      return db.auditEvent.findMany({
        where: filter.accountId === undefined ? {} : { accountId: filter.accountId },
        orderBy: { id: "desc" },
        take: Math.min(filter.limit ?? 100, 1000),
      });
    },
  };
}

/** The audit log's interface, for code that is handed one. */
export type AuditLog = ReturnType<typeof createAuditLog>;
