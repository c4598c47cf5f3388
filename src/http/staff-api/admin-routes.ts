import { z } from "zod";
import { StaffError } from "../../staff/staff-error.ts";
import type { StaffSide } from "../../staff/staff-side.ts";
import { ApiError } from "../api/api-error.ts";
import { defineApiRoute, type ApiRoute } from "../api/api-route.ts";
import { accountBody, staffAccountSchema } from "./session-routes.ts";
import { principalOf } from "./staff-access.ts";

const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.iso.datetime(),
    accountId: z.string().nullable(),
    username: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    outcome: z.string(),
    detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  })
  .meta({ id: "AuditEntry" });

const tokenSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: z.iso.datetime(), lastUsedAt: z.iso.datetime().nullable(), revokedAt: z.iso.datetime().nullable() })
  .meta({ id: "ApiToken" });

const detailSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** A refusal from the account store, as the API's error shape. */
function asApiError(error: unknown): never {
  if (error instanceof StaffError) {
    if (error.code === "staff:username-taken") throw new ApiError("conflict", error.message);
    throw new ApiError("invalid_request", error.message, { details: [{ location: "body", path: error.code.replace("staff:", ""), message: error.message }] });
  }
  throw error;
}

/** Accounts, teams and the audit log (admins), and each person's own API tokens. */
export function adminRoutes(deps: { staff: StaffSide }): ApiRoute[] {
  const { staff } = deps;
  return [
    defineApiRoute({
      method: "GET",
      path: "/api/accounts",
      summary: "Every staff account with its role and area",
      tags: ["accounts"],
      access: { kind: "staff", permission: "accounts:manage" },
      input: {},
      responses: { 200: z.object({ accounts: z.array(staffAccountSchema) }) },
      handler: async () => ({ status: 200, body: { accounts: (await staff.accounts.list()).map(accountBody) } }),
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/accounts",
      summary: "Create a staff account",
      tags: ["accounts"],
      access: { kind: "staff", permission: "accounts:manage" },
      input: {
        body: z
          .object({
            username: z.string().min(3).max(40),
            displayName: z.string().min(1).max(100),
            password: z.string().min(10).max(200),
            role: z.enum(["admin", "province", "commune"]),
            provinces: z.array(z.string().max(20)).optional(),
            teamId: z.string().max(60).optional(),
            locale: z.enum(["vi", "en"]).optional(),
          })
          .strict(),
      },
      responses: { 201: staffAccountSchema },
      errors: ["conflict"],
      handler: async ({ body }, { request }) => {
        const account = await staff.accounts
          .create({
            username: body.username,
            displayName: body.displayName,
            password: body.password,
            role: body.role,
            ...(body.provinces === undefined ? {} : { provinces: body.provinces }),
            ...(body.teamId === undefined ? {} : { teamId: body.teamId }),
            ...(body.locale === undefined ? {} : { locale: body.locale }),
          })
          .catch(asApiError);
        await staff.audit.record({ accountId: principalOf(request).accountId, action: "account-created", target: `account:${account.username}`, outcome: "ok", detail: { role: account.role } });
        return { status: 201, body: accountBody(account) };
      },
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/teams",
      summary: "Create a commune communication team",
      tags: ["accounts"],
      access: { kind: "staff", permission: "accounts:manage" },
      input: { body: z.object({ name: z.string().min(1).max(100), provinceCode: z.string().max(20), communeCodes: z.array(z.string().max(20)).min(1) }).strict() },
      responses: { 201: z.object({ id: z.string() }) },
      handler: async ({ body }, { request }) => {
        const id = await staff.accounts.createTeam(body).catch(asApiError);
        await staff.audit.record({ accountId: principalOf(request).accountId, action: "team-created", target: `team:${id}`, outcome: "ok", detail: { communes: body.communeCodes.length } });
        return { status: 201, body: { id } };
      },
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/audit",
      summary: "The newest audit entries: sign-ins, imports, exports, edits",
      tags: ["accounts"],
      access: { kind: "staff", permission: "audit:read" },
      input: { query: z.object({ accountId: z.string().max(60).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
      responses: { 200: z.object({ entries: z.array(auditEntrySchema) }) },
      handler: async ({ query }) => {
        const rows = await staff.audit.list({ ...(query.accountId === undefined ? {} : { accountId: query.accountId }), limit: query.limit });
        const entries = rows.map((row) => ({ ...row, at: row.at.toISOString(), detail: detailSchema.catch({}).parse(JSON.parse(row.detail)) }));
        return { status: 200, body: { entries } };
      },
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/tokens",
      summary: "Your API tokens (never the tokens themselves)",
      tags: ["tokens"],
      access: { kind: "staff", permission: "tokens:own" },
      input: {},
      responses: { 200: z.object({ tokens: z.array(tokenSchema) }) },
      handler: async (_input, { request }) => {
        const tokens = await staff.apiTokens.list(principalOf(request).accountId);
        const iso = (date: Date | null) => (date === null ? null : date.toISOString());
        return { status: 200, body: { tokens: tokens.map((token) => ({ ...token, createdAt: token.createdAt.toISOString(), lastUsedAt: iso(token.lastUsedAt), revokedAt: iso(token.revokedAt) })) } };
      },
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/tokens",
      summary: "Create an API token for automation; it is shown only in this answer",
      tags: ["tokens"],
      access: { kind: "staff", permission: "tokens:own" },
      input: { body: z.object({ name: z.string().min(1).max(80) }).strict() },
      responses: { 201: z.object({ id: z.string(), token: z.string() }) },
      handler: async ({ body }, { request }) => {
        const principal = principalOf(request);
        const created = await staff.apiTokens.create(principal.accountId, body.name);
        await staff.audit.record({ accountId: principal.accountId, action: "api-token-created", target: `api-token:${created.id}`, outcome: "ok" });
        return { status: 201, body: created };
      },
    }),
    defineApiRoute({
      method: "DELETE",
      path: "/api/tokens/:id",
      summary: "Revoke one of your API tokens",
      tags: ["tokens"],
      access: { kind: "staff", permission: "tokens:own" },
      input: { params: z.object({ id: z.string().max(60) }) },
      responses: { 204: null },
      errors: ["not_found"],
      handler: async ({ params }, { request }) => {
        const principal = principalOf(request);
        if (!(await staff.apiTokens.revoke(principal.accountId, params.id))) throw new ApiError("not_found", "You have no such token.");
        await staff.audit.record({ accountId: principal.accountId, action: "api-token-revoked", target: `api-token:${params.id}`, outcome: "ok" });
        return { status: 204 };
      },
    }),
  ];
}
