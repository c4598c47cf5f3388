import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { StaffError } from "../../staff/staff-error.ts";
import type { StaffPrincipal } from "../../staff/staff-principal.ts";
import type { StaffSide } from "../../staff/staff-side.ts";
import { ApiError } from "../api/api-error.ts";
import { defineApiRoute, type ApiRoute } from "../api/api-route.ts";
import { setSessionCookie, type createAttemptLimiter } from "../staff-auth.ts";
import { authenticationOf, principalOf } from "./staff-access.ts";

/** A staff account as the API shows it: role and area, never the password hash or sign-in counters. */
export const staffAccountSchema = z
  .object({
    accountId: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(["admin", "province", "commune"]),
    locale: z.enum(["vi", "en"]),
    provinces: z.array(z.string()).describe("province codes of a province officer"),
    communes: z.array(z.string()).describe("commune codes of a commune member's team"),
    teamId: z.string().nullable(),
    teamProvinceCode: z.string().nullable(),
  })
  .meta({ id: "StaffAccount" });

/** The principal as an API body. */
export function accountBody(principal: StaffPrincipal): z.input<typeof staffAccountSchema> {
  return { ...principal, provinces: [...principal.provinces], communes: [...principal.communes] };
}

/** What the session routes need: the staff side, the attempt limiter, and whether cookies must be Secure. */
export type SessionRouteDeps = {
  staff: StaffSide;
  limiter: ReturnType<typeof createAttemptLimiter>;
  secureCookies: boolean;
  /** Waits before answering a failed sign-in; replaced in tests so they need not wait. */
  wait?: (ms: number) => Promise<unknown>;
};

/** Sign-in, sign-out and "who am I": the start of every browser or script session. */
export function sessionRoutes(deps: SessionRouteDeps): ApiRoute[] {
  const wait = deps.wait ?? sleep;
  return [
    defineApiRoute({
      method: "POST",
      path: "/api/session",
      summary: "Sign in",
      description:
        "Checks the login name and password and sets the HTTP-only session cookie. Failed attempts are slowed, then the account is locked for a while; each client address may try a limited number of times.",
      tags: ["session"],
      access: { kind: "public" },
      input: { body: z.object({ username: z.string().min(1).max(60), password: z.string().min(1).max(200) }) },
      responses: { 200: z.object({ account: staffAccountSchema, csrfToken: z.string().describe("send it as x-csrf-token with every change") }) },
      errors: ["unauthenticated", "rate_limited"],
      handler: async ({ body }, { request, reply }) => {
        const retryAfter = deps.limiter.take(request.ip);
        if (retryAfter !== undefined) throw new ApiError("rate_limited", "Too many sign-in attempts from this address.", { retryAfterSeconds: retryAfter });
        const result = await deps.staff.signIn(body.username, body.password);
        if (!result.ok) {
          await wait(result.delayMs);
          if (result.reason === "locked") {
            const seconds = Math.max(1, Math.ceil(((result.lockedUntil?.getTime() ?? Date.now()) - Date.now()) / 1000));
            throw new ApiError("rate_limited", "This account is locked for a while after repeated failed sign-ins.", { retryAfterSeconds: seconds });
          }
          throw new ApiError("unauthenticated", "Wrong login name or password.");
        }
        const session = await deps.staff.sessions.start(result.principal.accountId);
        setSessionCookie(reply, session.token, { secure: deps.secureCookies, maxAgeSeconds: Math.round((session.expiresAt.getTime() - Date.now()) / 1000) });
        return { status: 200, body: { account: accountBody(result.principal), csrfToken: session.csrfToken } };
      },
    }),
    defineApiRoute({
      method: "DELETE",
      path: "/api/session",
      summary: "Sign out",
      tags: ["session"],
      access: { kind: "staff", permission: "tokens:own" },
      input: {},
      responses: { 204: null },
      handler: async (_input, { request, reply }) => {
        const found = authenticationOf(request);
        if (found?.kind === "session") {
          await deps.staff.sessions.end(found.token);
          await deps.staff.audit.record({ accountId: found.principal.accountId, action: "sign-out", outcome: "ok" });
        }
        setSessionCookie(reply, "", { secure: deps.secureCookies, maxAgeSeconds: 0 });
        return { status: 204 };
      },
    }),
    defineApiRoute({
      method: "PUT",
      path: "/api/me/password",
      summary: "Change your own password; every other session of yours ends",
      tags: ["session"],
      access: { kind: "staff", permission: "tokens:own" },
      input: { body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(10).max(200) }).strict() },
      responses: { 204: null },
      handler: async ({ body }, { request, reply }) => {
        const principal = principalOf(request);
        try {
          await deps.staff.accounts.changePassword(principal.accountId, body.newPassword, body.currentPassword);
        } catch (error) {
          if (!(error instanceof StaffError)) throw error;
          throw new ApiError("invalid_request", error.message, { details: [{ location: "body", path: error.code === "staff:wrong-password" ? "currentPassword" : "newPassword", message: error.message }] });
        }
        await deps.staff.audit.record({ accountId: principal.accountId, action: "password-changed", target: `account:${principal.username}`, outcome: "ok" });
        setSessionCookie(reply, "", { secure: deps.secureCookies, maxAgeSeconds: 0 });
        return { status: 204 };
      },
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/me",
      summary: "The signed-in account, its role and area",
      tags: ["session"],
      access: { kind: "staff", permission: "tokens:own" },
      input: {},
      responses: { 200: staffAccountSchema },
      handler: async (_input, { request }) => ({ status: 200, body: accountBody(principalOf(request)) }),
    }),
  ];
}
