import type { DatabaseClient } from "../store/database.ts";
import { createApiTokens } from "./api-tokens.ts";
import { createAuditLog } from "./audit-log.ts";
import { createSignIn, type SignInPolicy } from "./sign-in.ts";
import { createStaffAccounts } from "./staff-accounts.ts";
import { createStaffSessions, type SessionPolicy } from "./staff-sessions.ts";

/** The staff side's stores over one database: accounts, sign-in, sessions, API tokens and the audit log. */
export function createStaffSide(deps: { db: DatabaseClient; now: () => Date; signInPolicy?: SignInPolicy; sessionPolicy?: SessionPolicy }) {
  const accounts = createStaffAccounts(deps.db, deps.now);
  const audit = createAuditLog(deps.db, deps.now);
  return {
    accounts,
    audit,
    signIn: createSignIn({ db: deps.db, accounts, audit, now: deps.now, ...(deps.signInPolicy === undefined ? {} : { policy: deps.signInPolicy }) }),
    sessions: createStaffSessions({ db: deps.db, accounts, now: deps.now, ...(deps.sessionPolicy === undefined ? {} : { policy: deps.sessionPolicy }) }),
    apiTokens: createApiTokens({ db: deps.db, accounts, now: deps.now }),
  };
}

/** Everything the staff side offers, for code that is handed it. */
export type StaffSide = ReturnType<typeof createStaffSide>;
