import type { EngineInput } from "./engine-input.ts";
import { foldText, isSameWord } from "./text-folding.ts";

/** An option the person can pick: its id and the content key of its label, or the label itself when `literal`. */
export type ChoosableOption = { id: string; label: string; literal?: true };

const numbered = /^(?:so\s+)?(\d{1,2})$/;

/** Vietnamese number words one to ten, for people who write the option's number out ("một", "số hai"). */
const numberWords = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"];

/**
 * Finds the option a person meant: a tapped button, a typed number ("2", "2.", "số 2"), the label's own
 * words in any shipped language, or the number written out ("hai", "số hai"; labels win, so an option
 * labelled "Năm" is chosen by "năm" rather than option 5). Returns the option's index, or null when nothing
 * matches, so the question is asked again.
 */
export function matchOption(
  input: EngineInput,
  options: readonly ChoosableOption[],
  labelsOf: (key: string) => readonly string[],
): number | null {
  const found = (index: number) => (index >= 0 && index < options.length ? index : null);
  if (input.kind === "choice") return found(options.findIndex((option) => option.id === input.optionId));
  if (input.kind !== "text") return null;
  const digits = numbered.exec(foldText(input.text));
  if (digits) return found(Number(digits[1]) - 1);
  if (input.text.length > 200) return null;
  const byLabel = options.findIndex((option) =>
    (option.literal ? [option.label] : labelsOf(option.label)).some((label) => isSameWord(input.text, label)),
  );
  if (byLabel >= 0) return byLabel;
  const word = numberWords.findIndex((number) => isSameWord(input.text, number) || isSameWord(input.text, `số ${number}`));
  return word >= 0 ? found(word) : null;
}

/** A free-text answer cleaned for storage: NFC, no control or zero-width characters, single spaces. */
export function cleanAnswer(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\u0000-\u001F\u007F\u200B-\u200D\u2060\uFEFF\u00AD]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Parses a typed number ("12", "12,5", " 3 "); null when the text is not one number within the bounds. */
export function parseNumberAnswer(text: string, min?: number, max?: number): number | null {
  const candidate = cleanAnswer(text).replace(",", ".");
  if (!/^-?\d{1,9}(?:\.\d{1,6})?$/.test(candidate)) return null;
  const value = Number(candidate);
  if (min !== undefined && value < min) return null;
  if (max !== undefined && value > max) return null;
  return value;
}
