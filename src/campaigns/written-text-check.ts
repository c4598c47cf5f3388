import { StaffError } from "../staff/staff-error.ts";
import type { WrittenContent } from "./campaign-spec.ts";

/**
 * What is wrong with one language's text of a campaign the team wrote:
 * - `locale`: the language is not in `content/locales.yaml`, so nobody could ever receive it;
 * - `number`: it states a number (3 or more digits) that is not in the help directory of the campaign's
 *   communes, which could send a woman in danger to a wrong or unsafe line;
 * - `link`: it has a web address, which the bot never sends (it can be opened on a shared phone, and nobody
 *   checks where it leads).
 * `found` is the text that broke the rule, as written.
 */
export type WrittenTextProblem = { locale: string; kind: "locale" | "number" | "link"; found: string };

/**
 * A phone number as dialled: its digits only, with Viet Nam's country code (+84) written as the leading 0, so
 * "+84 212 3845 123", "0212.3845.123" and "0212 3845 123" are one number.
 */
export function dialledNumber(written: string): string {
  const digits = written.replace(/\D/g, "");
  return written.trim().startsWith("+84") ? `0${digits.slice(2)}` : digits;
}

/** Dates as Viet Nam writes them (28/6, 1/7/2025): a reader cannot dial them, so they are not numbers to check. */
const datePattern = /(?<!\d)\d{1,2}\/\d{1,2}(?:\/\d{4})?(?!\d)/g;

/** Digit runs with the separators people write phone numbers with: "1900 969 680", "0212.3845.123", "0212-3845-123". */
const digitRunPattern = /\+?\d+(?:[ .-]\d+)*/g;

/** The shortest digit run that may be a phone number: the national lines 111, 113 and 115 have three digits. */
const phoneDigitsMin = 3;

/**
 * Web addresses: anything with a scheme (https://, zalo://), anything starting with www., and bare domains
 * with a common top-level domain, as messaging apps turn those into links too (t.me/…, zalo.me/…, bit.ly/…).
 */
const linkPattern =
  /[a-z][a-z0-9+.-]*:\/\/\S*|\bwww\.\S*|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|vn|me|io|co|ly|gl|to|app|link|site|online|xyz|gov|edu|page)\b(?:\/\S*)?/gi;

/** The phone-number-like digit runs of a text, as written (dates left out). */
function phoneLikeRuns(text: string): string[] {
  return [...text.replace(datePattern, " ").matchAll(digitRunPattern)]
    .map((match) => match[0].trim())
    .filter((run) => run.replace(/\D/g, "").length >= phoneDigitsMin);
}

/**
 * Checks the texts of written content before it can go to approval: every language is in the locale registry,
 * every phone-number-like digit run is a number of the help directory that the campaign's communes see, and
 * there is no web address. Each text is read after NFKC folding, so digits written in another form (fullwidth
 * "１１３") are checked as the digits they are. Returns every problem, so the team can fix all at once.
 */
export function writtenTextProblems(content: WrittenContent, known: { locales: readonly string[]; helpNumbers: readonly string[] }): WrittenTextProblem[] {
  const locales = new Set(known.locales);
  const numbers = new Set(known.helpNumbers.map(dialledNumber));
  return Object.entries(content.texts).flatMap(([locale, text]): WrittenTextProblem[] => {
    if (!locales.has(locale)) return [{ locale, kind: "locale", found: locale }];
    const folded = text.normalize("NFKC");
    const links = [...folded.matchAll(linkPattern)].map((match): WrittenTextProblem => ({ locale, kind: "link", found: match[0] }));
    const unlisted = phoneLikeRuns(folded.replace(linkPattern, " "))
      .filter((run) => !numbers.has(dialledNumber(run)))
      .map((run): WrittenTextProblem => ({ locale, kind: "number", found: run }));
    return [...links, ...unlisted];
  });
}

/** A problem in plain English, for the API and the command line. */
export function describeWrittenTextProblem(problem: WrittenTextProblem): string {
  switch (problem.kind) {
    case "locale":
      return `texts.${problem.locale}: "${problem.locale}" is not a language of content/locales.yaml`;
    case "number":
      return `texts.${problem.locale}: "${problem.found}" is not a number in the help directory of the campaign's communes`;
    case "link":
      return `texts.${problem.locale}: "${problem.found}" is a web address; campaign messages carry no links`;
  }
}

/**
 * Written content that may not go to approval, with every problem found: the console shows each at its
 * language's text box, the API lists them, the command line prints the message.
 */
export class WrittenTextError extends StaffError {
  readonly problems: readonly WrittenTextProblem[];

  constructor(problems: readonly WrittenTextProblem[]) {
    super(`The campaign's text cannot be used: ${problems.map(describeWrittenTextProblem).join("; ")}`, "staff:text-refused", { problems });
    this.problems = problems;
  }
}
