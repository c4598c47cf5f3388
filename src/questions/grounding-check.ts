import { numbersIn } from "../content/content-lint.ts";
import { foldText } from "../engine/text-folding.ts";

/**
 * Why a composed answer may not be sent: a number (an age, an amount, a phone number) or a law reference
 * that none of the approved messages it was written from states, a number written out in words that they do
 * not use, or an answer too long to read. The model may only rephrase approved facts, never add one.
 */
export type GroundingProblem = { kind: "number" | "law" | "number-word" | "length"; value: string };

/** The longest answer sent: about what the content guide allows one message (readers with little schooling). */
export const longestAnswer = 600;

/**
 * References to legal texts: a capitalised name of a kind of text and the word after it ("Luật Hôn", "Nghị định
 * 82/2020"; a lower-case "luật" is the law in general), or an article or clause with its number ("Điều 8").
 */
const lawReferences = [
  /(?<![\p{L}\p{N}])(?:Bộ luật|Luật|Nghị định|Thông tư|Quyết định|Pháp lệnh|Law|Decree|Circular)\s+[\p{L}\p{N}/.-]+/gu,
  /(?<![\p{L}\p{N}])(?:điều|khoản|điểm|article|clause)\s+\d+/giu,
];

/** Number words that state an amount or age on their own (not "một", which also means "a"). */
const numberWords = new Set([
  "mười", "mươi", "lăm", "trăm", "nghìn", "ngàn", "triệu", "tỷ", "tỉ",
  "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
  "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion",
]);

/** A number as compared: spaces between digit groups do not count ("1900 969 680" is "1900969680"). */
function numberKey(number: string): string {
  return number.replace(/\s/g, "");
}

/** Digits only, so "1.000.000" and "1000000" are one amount. */
function digitsOf(number: string): string {
  return number.replace(/\D/g, "");
}

/**
 * Checks a composed answer against the approved texts it was written from and the numbers the help directory
 * may give (its phone numbers). Returns every problem; an empty list means the answer may be sent.
 */
export function groundingProblems(answer: string, sources: readonly string[], directoryNumbers: readonly string[]): GroundingProblem[] {
  const problems: GroundingProblem[] = [];
  if (answer.length > longestAnswer) problems.push({ kind: "length", value: String(answer.length) });
  const stated = [...sources.flatMap(numbersIn), ...directoryNumbers];
  const keys = new Set(stated.map(numberKey));
  const digits = new Set(stated.map(digitsOf));
  for (const number of numbersIn(answer)) {
    if (!keys.has(numberKey(number)) && !digits.has(digitsOf(number))) problems.push({ kind: "number", value: number });
  }
  const foldedSources = sources.map(foldText).join(" \n ");
  for (const match of lawReferences.flatMap((pattern) => [...answer.matchAll(pattern)])) {
    if (!foldedSources.includes(foldText(match[0]))) problems.push({ kind: "law", value: match[0] });
  }
  const sourceWords = new Set(sources.flatMap((source) => source.toLocaleLowerCase("vi").split(/[^\p{L}]+/u)));
  for (const word of answer.toLocaleLowerCase("vi").split(/[^\p{L}]+/u)) {
    if (numberWords.has(word) && !sourceWords.has(word)) problems.push({ kind: "number-word", value: word });
  }
  return problems;
}
