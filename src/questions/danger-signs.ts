import type { DangerSign } from "../engine/question-lookup.ts";
import { foldText, prepareWords, sameWord, type PreparedWord } from "../engine/text-folding.ts";
import { typoDistance } from "../places/place-matching.ts";
import { underEighteen, type QuestionFile } from "./question-file.ts";

/**
 * Danger signs, found by fixed rules so that no model, timeout or outage can miss them: violence happening
 * now, a child being married off, danger signs in pregnancy or labour. A sign is a list of word groups that
 * must all occur in the message ("đang mang thai" and "ra máu"). Words are compared as the global keywords
 * are (a word typed with diacritics must carry the same marks, so "gà" is not "gả"), and words of five letters
 * or more also match with one typo, whatever their marks ("chồg" is "chồng"): for danger, a false alarm costs
 * a message, a miss can cost a life. The few short words that fold like everyday ones (`markedOnly`: "đấm" and
 * "đám") count only when typed with their marks.
 */
export type DangerSigns = (text: string) => DangerSign | null;

/** Folded words at least this long match with one typo: shorter ones have too many neighbours ("tuoi", "troi", "toi"). */
const typoFromLength = 5;

/** An age under 18 written with digits ("15 tuổi", "15t", "15 years"), in folded text. */
const minorAge = /(?:^| )(?:1[0-7]|[1-9]) ?(?:tuoi|t|year|years|yo)(?: |$)/;
/** The same age written in words ("mười lăm tuổi"), in folded text. */
const minorAgeInWords = /(?:^| )muoi (?:mot|hai|ba|bon|lam|nam|sau|bay) tuoi(?: |$)/;

/** A danger word: as prepared for comparison, and whether it counts only when typed with its marks. */
type DangerWord = PreparedWord & { markedOnly: boolean };

function looselySame(typed: PreparedWord, wanted: DangerWord): boolean {
  if (wanted.markedOnly) return typed.accented && sameWord(typed, wanted);
  if (sameWord(typed, wanted)) return true;
  return wanted.folded.length >= typoFromLength && typoDistance(typed.folded, wanted.folded, 1) <= 1;
}

function contains(typed: readonly PreparedWord[], wanted: readonly DangerWord[]): boolean {
  for (let start = 0; start + wanted.length <= typed.length; start += 1) {
    if (wanted.every((word, offset) => looselySame(typed[start + offset] as PreparedWord, word))) return true;
  }
  return false;
}

/**
 * Replaces typed words the file translates (texting shorthand such as "ck", minority words such as the Mông
 * "ntaus") by the Vietnamese words they stand for. Only words typed without diacritics are replaced: none of
 * those forms carries Vietnamese marks.
 */
function translate(typed: readonly PreparedWord[], table: ReadonlyMap<string, PreparedWord[]>, longest: number): PreparedWord[] {
  const out: PreparedWord[] = [];
  for (let start = 0; start < typed.length; ) {
    let length = Math.min(longest, typed.length - start);
    for (; length >= 1; length -= 1) {
      const span = typed.slice(start, start + length);
      const replacement = span.some((word) => word.accented) ? undefined : table.get(span.map((word) => word.folded).join(" "));
      if (replacement !== undefined) {
        out.push(...replacement);
        break;
      }
    }
    if (length >= 1) start += length;
    else {
      out.push(typed[start] as PreparedWord);
      start += 1;
    }
  }
  return out;
}

/** Builds the danger-sign check of `content/questions.yaml`. */
export function createDangerSigns(file: QuestionFile): DangerSigns {
  const table = new Map<string, PreparedWord[]>();
  let longest = 1;
  const add = (from: string, to: string) => {
    const key = foldText(from);
    if (key === "" || table.has(key)) return;
    table.set(key, prepareWords(to));
    longest = Math.max(longest, key.split(" ").length);
  };
  for (const [from, to] of Object.entries(file.words.shorthand)) add(from, to);
  for (const word of file.words.minority) add(word.word, word.means);
  const markedOnly = file.markedOnly.flatMap(prepareWords);
  const dangerWords = (phrase: string): DangerWord[] =>
    prepareWords(phrase).map((word) => ({ ...word, markedOnly: markedOnly.some((marked) => sameWord(word, marked) && word.marks === marked.marks) }));
  const signs = file.danger.map((sign) => ({
    ...sign,
    groups: sign.all.map((group) => ({
      age: group.includes(underEighteen),
      phrases: group.filter((phrase) => phrase !== underEighteen).map(dangerWords).filter((words) => words.length > 0),
    })),
  }));

  return (text) => {
    const typed = translate(prepareWords(text), table, longest);
    const folded = typed.map((word) => word.folded).join(" ");
    const young = minorAge.test(folded) || minorAgeInWords.test(folded);
    const found = signs.find((sign) =>
      sign.groups.every((group) => (group.age && young) || group.phrases.some((phrase) => contains(typed, phrase))),
    );
    return found === undefined ? null : { topic: found.topic, sign: found.id };
  };
}
