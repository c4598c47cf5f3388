import { foldText } from "../engine/text-folding.ts";

/**
 * Matching of typed place names ("xa muong bu", "Mường Bú", "Muogn Bu", "tp. Hồ Chí Minh") against the
 * official names, the way people type them on a phone, in any case, with or without diacritics (đ too), NFC or
 * NFD, extra spaces and punctuation, an optional unit word in front, and a small typo. Pure: no I/O.
 */

/** Unit words a person may type before a name, folded; the longest first so "thanh pho" wins over "tp". */
const unitWords = ["thi tran", "thanh pho", "dac khu", "phuong", "tinh", "xa", "tp"];

/** Fewest letters a typed start of a name needs before it counts ("chi" for "Chiềng …", not "c"). */
const shortestPrefix = 3;

/** How well a name matched: `exact` when the folded texts are equal; anything else must be confirmed. */
export type MatchQuality = "exact" | "close";

/** A name folded once, so it can be compared with many typed texts cheaply. */
export type PreparedName = {
  folded: string;
  words: readonly string[];
  /** Letters and digits, without spaces: decides how many typos are forgiven. */
  letters: number;
  /** A former name (a pre-2025 province): a match on it is never exact, as she should confirm the new name. */
  former: boolean;
};

/** Something that can be matched, with every name it may be called by. */
export type MatchCandidate<T> = { item: T; names: readonly PreparedName[] };

/** A matched candidate and how well it matched. */
export type RankedMatch<T> = { item: T; quality: MatchQuality };

/** Folds a name for matching and storage: lower case, no diacritics, đ → d, single spaces, no punctuation. */
export function foldPlaceName(name: string): string {
  return foldText(name);
}

/** Prepares a name (or a former name) for `rankCandidates`. */
export function prepareName(name: string, former = false): PreparedName {
  const folded = foldPlaceName(name);
  return { folded, words: folded === "" ? [] : folded.split(" "), letters: folded.replace(/ /g, "").length, former };
}

/**
 * The ways typed text can be read: as typed (folded), and without a leading unit word ("xa muong bu" →
 * "muong bu"). Both are tried, so a name that itself starts like a unit word ("Xà Phiên") still matches.
 */
export function typedReadings(text: string): string[] {
  const folded = foldPlaceName(text);
  if (folded === "") return [];
  const unitWord = unitWords.find((word) => folded.startsWith(`${word} `));
  return unitWord === undefined ? [folded] : [folded, folded.slice(unitWord.length + 1)];
}

/** How many typos a name (or one of its words) forgives: none below 4 letters, 1 for 4–7 letters, 2 from 8 letters. */
export function typoAllowance(letters: number): number {
  if (letters < 4) return 0;
  return letters < 8 ? 1 : 2;
}

/**
 * Optimal-string-alignment Damerau–Levenshtein distance (insert, delete, substitute, swap two neighbours),
 * or `limit + 1` as soon as it is certain to exceed `limit`.
 */
export function typoDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (beforePrevious[j - 2] ?? 0) + 1);
      current.push(value);
      rowBest = Math.min(rowBest, value);
    }
    if (rowBest > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  const distance = previous[b.length] ?? limit + 1;
  return distance > limit ? limit + 1 : distance;
}

/** True when `inner` occurs in `outer` as consecutive whole words. */
function containsWords(outer: readonly string[], inner: readonly string[]): boolean {
  if (inner.length === 0 || inner.length > outer.length) return false;
  for (let start = 0; start + inner.length <= outer.length; start += 1) {
    if (inner.every((word, offset) => outer[start + offset] === word)) return true;
  }
  return false;
}

/** Match strength: lower is better. `tier` 0 exact, 1 start of the name, 2 whole words, 3 typo. */
type Score = { tier: number; former: boolean; closeness: number };

function scoreName(reading: string, readingWords: readonly string[], name: PreparedName): Score | undefined {
  const lengthGap = Math.abs(name.folded.length - reading.length);
  if (reading === name.folded) return { tier: 0, former: name.former, closeness: 0 };
  const startsName =
    name.folded.startsWith(`${reading} `) || (name.folded.startsWith(reading) && reading.replace(/ /g, "").length >= shortestPrefix);
  if (startsName) return { tier: 1, former: name.former, closeness: lengthGap };
  if (containsWords(name.words, readingWords) || containsWords(readingWords, name.words)) {
    return { tier: 2, former: name.former, closeness: lengthGap };
  }
  const distance = typoDistanceOfName(reading, readingWords, name);
  return distance === undefined ? undefined : { tier: 3, former: name.former, closeness: distance };
}

/**
 * The typo distance between typed text and a name, or undefined past the name's allowance. When both have
 * the same number of words, each word may take at most one edit (more in a long word, see `typoAllowance`):
 * otherwise the two edits "Chiềng Hoa" forgives would turn "Chiềng Sơn" into "Chiềng An", a different
 * commune, since names in a province often share their first word and differ in a short last one.
 */
function typoDistanceOfName(reading: string, readingWords: readonly string[], name: PreparedName): number | undefined {
  const allowance = typoAllowance(name.letters);
  if (allowance === 0) return undefined;
  if (readingWords.length !== name.words.length) {
    const distance = typoDistance(reading, name.folded, allowance);
    return distance <= allowance ? distance : undefined;
  }
  let total = 0;
  for (const [position, word] of name.words.entries()) {
    const wordAllowance = Math.max(1, typoAllowance(word.length));
    const distance = typoDistance(readingWords[position] ?? "", word, wordAllowance);
    if (distance > wordAllowance) return undefined;
    total += distance;
    if (total > allowance) return undefined;
  }
  return total;
}

function compareScores(a: Score, b: Score): number {
  return a.tier - b.tier || Number(a.former) - Number(b.former) || a.closeness - b.closeness;
}

/**
 * The candidates that match `text`, best first, at most `limit`: an exact folded match, then names the text
 * starts, then names sharing whole words with it, then names within a small typo. Ties keep the candidates'
 * order (callers pass them in official code order). Only an exact match on a current name is `exact`.
 */
export function rankCandidates<T>(candidates: readonly MatchCandidate<T>[], text: string, limit: number): RankedMatch<T>[] {
  const readings = typedReadings(text).map((reading) => ({ reading, words: reading.split(" ") }));
  if (readings.length === 0 || limit < 1) return [];
  const scored: Array<{ item: T; score: Score; order: number }> = [];
  candidates.forEach((candidate, order) => {
    let best: Score | undefined;
    for (const { reading, words } of readings) {
      for (const name of candidate.names) {
        const score = scoreName(reading, words, name);
        if (score !== undefined && (best === undefined || compareScores(score, best) < 0)) best = score;
      }
    }
    if (best !== undefined) scored.push({ item: candidate.item, score: best, order });
  });
  scored.sort((a, b) => compareScores(a.score, b.score) || a.order - b.order);
  return scored.slice(0, limit).map(({ item, score }) => ({ item, quality: score.tier === 0 && !score.former ? "exact" : "close" }));
}
