import type { FastifyReply, FastifyRequest } from "fastify";
import { parseConsoleLocale, type ConsoleLocale } from "../../console/console-locale.ts";
import type { ConsoleContext, ConsoleUrls, SignedInContext, StaffAccess } from "../../console/view-models.ts";
import type { PlaceLookup } from "../../engine/place-lookup.ts";
import type { StaffPrincipal } from "../../staff/staff-principal.ts";
import type { StaffServices } from "../../staff/staff-services.ts";
import { authenticate, readCookie, type StaffAuthentication } from "../staff-auth.ts";

/** Where every console page lives; the pages link only to these. */
export const consoleUrls: ConsoleUrls = {
  overview: "/console",
  stats: "/console/stats",
  directory: "/console/directory",
  campaigns: "/console/campaigns",
  places: "/console/places",
  coverage: "/console/coverage",
  signIn: "/console/sign-in",
  signOut: "/console/sign-out",
};

/** Remembers the chosen console language for a year. */
const languageCookie = "loa_console_lang";

/** A parsed application/x-www-form-urlencoded body: repeated fields (checkboxes) become lists. */
export type FormBody = Readonly<Record<string, string | string[]>>;

/** Parses a form body; keeps repeated names as lists, so ticked checkboxes are not lost. */
export function parseForm(text: string): FormBody {
  const values: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const earlier = values[name];
    values[name] = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
  }
  return values;
}

/** One value of a form field: the first when it was sent several times, "" when absent. */
export function formValue(form: FormBody, name: string): string {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** Every value of a repeated form field (checkboxes). */
export function formValues(form: FormBody, name: string): string[] {
  const value = form[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The form body of a request, or an empty one when it was not a form. */
export function formOf(request: FastifyRequest): FormBody {
  const body: unknown = request.body;
  if (typeof body !== "object" || body === null) return {};
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string | string[]] => typeof entry[1] === "string" || Array.isArray(entry[1])));
}

/** A query parameter as text, "" when absent. */
export function queryValue(request: FastifyRequest, name: string): string {
  const query: unknown = request.query;
  if (typeof query !== "object" || query === null || !(name in query)) return "";
  const value: unknown = Reflect.get(query, name);
  return typeof value === "string" ? value : "";
}

/** The console language: `?lang=` (remembered in a cookie), then the cookie, then the account's, then Vietnamese. */
export function consoleLocale(request: FastifyRequest, reply: FastifyReply, principal: StaffPrincipal | null): ConsoleLocale {
  const asked = queryValue(request, "lang");
  if (asked === "vi" || asked === "en") {
    reply.header("set-cookie", `${languageCookie}=${asked}; Path=/console; SameSite=Lax; Max-Age=31536000`);
    return asked;
  }
  const remembered = readCookie(request, languageCookie);
  if (remembered === "vi" || remembered === "en") return remembered;
  return parseConsoleLocale(principal?.locale);
}

/** This page's URL in each language, keeping its other query parameters. */
function languageUrls(request: FastifyRequest): Record<ConsoleLocale, string> {
  const url = new URL(request.url, "http://console.local");
  const forLocale = (locale: ConsoleLocale) => {
    url.searchParams.set("lang", locale);
    return `${url.pathname}?${url.searchParams.toString()}`;
  };
  return { vi: forLocale("vi"), en: forLocale("en") };
}

/** A signed-in browser (the console takes the session cookie only, never an API token). */
export async function consoleSession(request: FastifyRequest, services: StaffServices): Promise<Extract<StaffAuthentication, { kind: "session" }> | undefined> {
  if (request.headers.authorization !== undefined) return undefined;
  const found = await authenticate(request, services.staff);
  return found?.kind === "session" ? found : undefined;
}

/** Her role and area in words, for the header and the overview. */
async function accessOf(principal: StaffPrincipal, services: StaffServices, places: PlaceLookup): Promise<StaffAccess> {
  const name = (code: string) => {
    const place = places.find(code);
    return place === undefined ? code : places.displayName(place);
  };
  if (principal.role === "admin") return { role: "admin" };
  if (principal.role === "province") return { role: "province", provinces: principal.provinces.map(name) };
  const team = principal.teamId === null ? null : await services.db.staffTeam.findUnique({ where: { id: principal.teamId } });
  return { role: "commune", team: team?.name ?? "", communes: principal.communes.map(name) };
}

/** The context of a page seen without signing in. */
export function anonymousContext(request: FastifyRequest, locale: ConsoleLocale, csrfToken: string): ConsoleContext {
  return { locale, csrfToken, languageUrls: languageUrls(request), staff: null, urls: consoleUrls };
}

/** The context of a signed-in page: her name, role and area, the session's CSRF token, the language links. */
export async function signedInContext(
  request: FastifyRequest,
  locale: ConsoleLocale,
  session: Extract<StaffAuthentication, { kind: "session" }>,
  services: StaffServices,
  places: PlaceLookup,
): Promise<SignedInContext> {
  return {
    locale,
    csrfToken: session.csrfToken,
    languageUrls: languageUrls(request),
    staff: { displayName: session.principal.displayName, access: await accessOf(session.principal, services, places) },
    urls: consoleUrls,
  };
}
