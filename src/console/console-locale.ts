import { z } from "zod";
import { LoaError } from "../errors.ts";
import { en } from "./console-text/en.ts";
import { vi, type ConsoleText } from "./console-text/vi.ts";

/**
 * The languages of the staff console: Vietnamese for staff, the default, and English for partners. Pages take
 * their words from `consoleText(locale)` and fill values in with `fillText`, so no page holds words of its own.
 */

/** A language the console is shown in; also the `lang` of every page. */
export type ConsoleLocale = "vi" | "en";

/** The console's languages, Vietnamese first because it is the default. */
export const consoleLocales: readonly ConsoleLocale[] = ["vi", "en"];

const localeSchema = z.enum(["vi", "en"]).catch("vi");

/**
 * The console language a request asks for (`?lang=en`, a cookie, a stored preference), Vietnamese when it
 * names nothing the console speaks.
 */
export function parseConsoleLocale(value: unknown): ConsoleLocale {
  return localeSchema.parse(value);
}

const texts: Readonly<Record<ConsoleLocale, ConsoleText>> = { vi, en };

/** Every word of the console in one language. */
export function consoleText(locale: ConsoleLocale): ConsoleText {
  return texts[locale];
}

/** A text names a `{placeholder}` the page did not give a value for: a mistake in a page or a text file. */
export class ConsoleTextError extends LoaError {
  constructor(placeholder: string, template: string) {
    super(`console text "${template}" needs a value for {${placeholder}}`, "console:text-placeholder", { context: { placeholder } });
  }
}

/** A text with its `{name}` placeholders replaced by values. The result is plain text, escaped where it is used. */
export function fillText(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new ConsoleTextError(name, template);
    return String(value);
  });
}

const numberFormats: Readonly<Record<ConsoleLocale, Intl.NumberFormat>> = {
  vi: new Intl.NumberFormat("vi-VN"),
  en: new Intl.NumberFormat("en-GB"),
};

/** A count as readers of the locale write it: 3.321 in Vietnamese, 3,321 in English. */
export function formatCount(locale: ConsoleLocale, count: number): string {
  return numberFormats[locale].format(count);
}

/** A part of a whole with its percentage, "12/40 (30%)", or "0/0 (–)" when there is no whole to divide. */
export function formatShare(locale: ConsoleLocale, part: number, whole: number): string {
  const share = whole === 0 ? "–" : `${Math.round((part * 100) / whole)}%`;
  return `${formatCount(locale, part)}/${formatCount(locale, whole)} (${share})`;
}
