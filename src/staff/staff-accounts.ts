import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DatabaseClient } from "../store/database.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./password-hash.ts";
import { StaffError } from "./staff-error.ts";
import { staffRoles, type StaffPrincipal, type StaffRole } from "./staff-principal.ts";

/** A login name: 3–40 lower-case letters, digits, '.', '_' or '-', so it is easy to type on a phone. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,40}$/, "3–40 letters, digits, '.', '_' or '-'");

/** What is needed to create an account; the scope must fit the role. */
export type NewStaffAccount = {
  username: string;
  displayName: string;
  password: string;
  role: StaffRole;
  /** For a province officer: the provinces she works in. */
  provinces?: readonly string[];
  /** For a commune member: her team. */
  teamId?: string;
  locale?: "vi" | "en";
};

const roleSchema = z.enum(staffRoles);

/** Stored rows → the principal the rest of the staff side works with, with the scope resolved. */
function principalOf(row: {
  id: string;
  username: string;
  displayName: string;
  role: string;
  locale: string;
  teamId: string | null;
  provinces: Array<{ provinceCode: string }>;
  team: { provinceCode: string; communes: Array<{ communeCode: string }> } | null;
}): StaffPrincipal {
  const role = roleSchema.safeParse(row.role);
  if (!role.success) throw new StaffError(`account ${row.id} has an unknown role`, "staff:invalid-account", { accountId: row.id });
  return {
    accountId: row.id,
    username: row.username,
    displayName: row.displayName,
    role: role.data,
    locale: row.locale === "en" ? "en" : "vi",
    provinces: role.data === "province" ? row.provinces.map((scope) => scope.provinceCode).sort() : [],
    communes: role.data === "commune" ? (row.team?.communes.map((scope) => scope.communeCode).sort() ?? []) : [],
    teamId: role.data === "commune" ? row.teamId : null,
    teamProvinceCode: role.data === "commune" ? (row.team?.provinceCode ?? null) : null,
  };
}

const withScope = { provinces: true, team: { include: { communes: true } } } as const;

/**
 * Staff accounts in the database: creating them with a hashed password and a scope that fits the role, and
 * reading an account back as a principal. Sign-in, sessions and tokens build on this.
 */
export function createStaffAccounts(db: DatabaseClient, now: () => Date) {
  return {
    /** Creates an account; refuses a taken name, a weak password, or a scope that does not fit the role. */
    async create(account: NewStaffAccount): Promise<StaffPrincipal> {
      const username = usernameSchema.safeParse(account.username);
      if (!username.success) throw new StaffError(`login name: ${username.error.issues[0]?.message ?? "invalid"}`, "staff:invalid-username");
      const weak = passwordProblem(account.password, username.data);
      if (weak !== undefined) throw new StaffError(`password: ${weak}`, "staff:weak-password");
      const provinces = account.role === "province" ? [...new Set(account.provinces ?? [])] : [];
      if (account.role === "province" && provinces.length === 0) throw new StaffError("a province officer needs at least one province", "staff:scope-missing");
      if (account.role === "commune" && account.teamId === undefined) throw new StaffError("a commune member needs a team", "staff:scope-missing");
      if (account.role !== "commune" && account.teamId !== undefined) throw new StaffError("only commune members belong to a team", "staff:scope-invalid");
      if (account.role !== "province" && (account.provinces?.length ?? 0) > 0) throw new StaffError("only province officers have provinces", "staff:scope-invalid");
      if (account.teamId !== undefined && (await db.staffTeam.count({ where: { id: account.teamId } })) === 0) {
        throw new StaffError(`no team ${account.teamId}`, "staff:unknown-team", { teamId: account.teamId });
      }
      if ((await db.staffAccount.count({ where: { username: username.data } })) > 0) {
        throw new StaffError(`the login name ${username.data} is taken`, "staff:username-taken");
      }
      const row = await db.staffAccount.create({
        data: {
          id: randomUUID(),
          username: username.data,
          displayName: account.displayName.trim(),
          passwordHash: await hashPassword(account.password),
          role: account.role,
          teamId: account.teamId ?? null,
          locale: account.locale ?? "vi",
          createdAt: now(),
          provinces: { create: provinces.map((provinceCode) => ({ provinceCode })) },
        },
        include: withScope,
      });
      return principalOf(row);
    },

    /**
     * Sets a new password (same rules as at creation), unlocks the account and ends all its sessions, so a
     * lost or shared password stops working everywhere at once. With `current`, it must match first.
     */
    async changePassword(accountId: string, password: string, current?: string): Promise<void> {
      const row = await db.staffAccount.findUnique({ where: { id: accountId } });
      if (row === null) throw new StaffError(`no account ${accountId}`, "staff:not-found", { accountId });
      if (current !== undefined && !(await verifyPassword(current, row.passwordHash))) throw new StaffError("the current password is wrong", "staff:wrong-password");
      const weak = passwordProblem(password, row.username);
      if (weak !== undefined) throw new StaffError(`password: ${weak}`, "staff:weak-password");
      await db.$transaction([
        db.staffAccount.update({ where: { id: accountId }, data: { passwordHash: await hashPassword(password), failedSignIns: 0, lockedUntil: null } }),
        db.staffSession.deleteMany({ where: { accountId } }),
      ]);
    },

    /** The account as a principal, or undefined when it does not exist or is disabled. */
    async principal(accountId: string): Promise<StaffPrincipal | undefined> {
      const row = await db.staffAccount.findUnique({ where: { id: accountId }, include: withScope });
      return row === null || row.disabled ? undefined : principalOf(row);
    },

    /** Every account with its scope, for the admin's list. */
    async list(): Promise<StaffPrincipal[]> {
      const rows = await db.staffAccount.findMany({ where: { disabled: false }, include: withScope, orderBy: { username: "asc" } });
      return rows.map(principalOf);
    },

    /** Whether any admin exists: the first one is made with `npx loa admin create`. */
    async hasAdmin(): Promise<boolean> {
      return (await db.staffAccount.count({ where: { role: "admin", disabled: false } })) > 0;
    },

    /** Creates a commune communication team working in the given communes, which must all be in its province. */
    async createTeam(team: { name: string; provinceCode: string; communeCodes: readonly string[] }): Promise<string> {
      if (team.communeCodes.length === 0) throw new StaffError("a team works in at least one commune", "staff:scope-missing");
      const known = await db.place.findMany({ where: { code: { in: [...team.communeCodes] }, level: "commune", provinceCode: team.provinceCode } });
      const unknown = team.communeCodes.filter((code) => !known.some((place) => place.code === code));
      if (unknown.length > 0) {
        throw new StaffError(`not communes of province ${team.provinceCode}: ${unknown.join(", ")}`, "staff:scope-invalid", { unknown });
      }
      const id = randomUUID();
      await db.staffTeam.create({
        data: {
          id,
          name: team.name.trim(),
          provinceCode: team.provinceCode,
          createdAt: now(),
          communes: { create: [...new Set(team.communeCodes)].map((communeCode) => ({ communeCode })) },
        },
      });
      return id;
    },
  };
}

/** The account store's interface, for code that is handed one. */
export type StaffAccounts = ReturnType<typeof createStaffAccounts>;
