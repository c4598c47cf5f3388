import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { StaffPrincipal } from "../staff/staff-principal.ts";
import type { StaffSide } from "../staff/staff-side.ts";

/** The console's session cookie. HTTP-only, SameSite=Lax, Secure whenever Loa is reached over https. */
export const sessionCookieName = "loa_session";

/** Form field and header that carry the CSRF token of a cookie session. */
export const csrfFieldName = "_csrf";
export const csrfHeaderName = "x-csrf-token";

/** How a request proved who it is: a browser session (which needs CSRF checks) or an API token. */
export type StaffAuthentication =
  | { kind: "session"; principal: StaffPrincipal; csrfToken: string; token: string }
  | { kind: "token"; principal: StaffPrincipal };

/** Reads one cookie from the Cookie header; undefined when absent. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** Sets the session cookie; `maxAgeSeconds` 0 clears it. */
export function setSessionCookie(reply: FastifyReply, token: string, options: { secure: boolean; maxAgeSeconds: number }): void {
  const parts = [`${sessionCookieName}=${encodeURIComponent(token)}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) parts.push("Secure");
  reply.header("set-cookie", parts.join("; "));
}

/**
 * Finds who is calling: `Authorization: Bearer loa_…` (an API token, for automation) or the session cookie
 * (a browser). Undefined when neither is valid.
 */
export async function authenticate(request: FastifyRequest, staff: StaffSide): Promise<StaffAuthentication | undefined> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  if (bearer !== undefined) {
    const principal = await staff.apiTokens.resolve(bearer);
    return principal === undefined ? undefined : { kind: "token", principal };
  }
  const token = readCookie(request, sessionCookieName);
  if (token === undefined) return undefined;
  const session = await staff.sessions.resolve(token);
  return session === undefined ? undefined : { kind: "session", principal: session.principal, csrfToken: session.csrfToken, token };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const unsafeMethods: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Whether a request that changes something may go on. API-token requests carry no ambient authority, so they
 * need no CSRF check. A browser session must send its CSRF token (form field or header), and a browser's
 * Origin, when sent, must be this site: together they stop another site from acting with her cookie.
 */
export function passesCsrfCheck(request: FastifyRequest, authentication: StaffAuthentication, formToken: string | undefined): boolean {
  if (!unsafeMethods.has(request.method) || authentication.kind === "token") return true;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== "null") {
    const host = request.headers.host;
    if (host === undefined || new URL(origin).host !== host) return false;
  }
  const header = request.headers[csrfHeaderName];
  const sent = typeof header === "string" ? header : formToken;
  return sent !== undefined && sameText(sent, authentication.csrfToken);
}

/**
 * Headers for every staff page and API answer: no framing, no sniffing, no referrer, nothing cached, and a
 * content security policy that allows only this site's own styles and forms (the console uses no script).
 */
export function setStaffSecurityHeaders(reply: FastifyReply, options: { https: boolean }): void {
  reply.header("content-security-policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  reply.header("x-content-type-options", "nosniff");
  reply.header("x-frame-options", "DENY");
  reply.header("referrer-policy", "no-referrer");
  reply.header("permissions-policy", "camera=(), microphone=(), geolocation=()");
  reply.header("cache-control", "no-store");
  if (options.https) reply.header("strict-transport-security", "max-age=31536000");
}

/**
 * Limits sign-in attempts per client address: at most `max` in a fixed window of `windowMs`. It is per process
 * (each web process counts its own); the per-account lock in the database holds across processes.
 */
export function createAttemptLimiter(options: { max: number; windowMs: number; now: () => Date }) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts an attempt; returns the seconds to wait when over the limit, else undefined. */
    take(key: string): number | undefined {
      const now = options.now().getTime();
      const current = windows.get(key);
      if (current === undefined || now - current.start >= options.windowMs) {
        if (windows.size > 10_000) windows.clear();
        windows.set(key, { start: now, count: 1 });
        return undefined;
      }
      current.count += 1;
      return current.count > options.max ? Math.ceil((current.start + options.windowMs - now) / 1000) : undefined;
    },
  };
}
