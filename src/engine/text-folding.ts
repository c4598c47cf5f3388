/**
 * Text comparison that survives how people really type: upper or lower case, NFC or NFD, with or without Vietnamese
 * diacritics, with zero-width characters or emoji around the words.
 */

const zeroWidth = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const nonWord = /[^\p{L}\p{N}]+/gu;

/** Lower-case NFC text with punctuation and extra spaces removed; keeps diacritics. */
export function simplifyText(text: string): string {
  return text.normalize("NFC").replace(zeroWidth, "").toLocaleLowerCase("vi").replace(nonWord, " ").trim();
}

/** `simplifyText` without diacritics: "DỪNG", "dừng" (NFD) and "dung" all fold to "dung". */
export function foldText(text: string): string {
  return simplifyText(text)
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/đ/g, "d")
    .normalize("NFC");
}

/**
 * The diacritics of one word, in a canonical order: "xóa" and "xoá" (old and new tone placement) have the
 * same marks on the same letters, so they compare equal; "đúng" and "dừng" do not.
 */
function marksOf(word: string): string {
  const marks = word.normalize("NFD").match(/\p{M}/gu) ?? [];
  return `${marks.sort().join("")}${(word.match(/đ/g) ?? []).length}`;
}

/** One word, normalised once so it can be compared many times. */
export type PreparedWord = { folded: string; marks: string; accented: boolean };

/** Splits text into prepared words (none for text without letters or digits). */
export function prepareWords(text: string): PreparedWord[] {
  const simple = simplifyText(text);
  if (simple === "") return [];
  return simple.split(" ").map((word) => {
    const folded = foldText(word);
    return { folded, marks: marksOf(word), accented: folded !== word };
  });
}

/** A typed word matches a keyword word when their letters fold alike and, if it was typed with diacritics, its marks agree. */
export function sameWord(typed: PreparedWord, wanted: PreparedWord): boolean {
  return typed.folded === wanted.folded && (!typed.accented || typed.marks === wanted.marks);
}

/** True when the typed words are exactly the keyword's words (see `isSameWord`). */
export function wordsEqual(typed: readonly PreparedWord[], wanted: readonly PreparedWord[]): boolean {
  return typed.length === wanted.length && wanted.length > 0 && typed.every((word, index) => sameWord(word, wanted[index] as PreparedWord));
}

/** True when the keyword's words occur together somewhere in the typed words (see `containsPhrase`). */
export function wordsContain(typed: readonly PreparedWord[], wanted: readonly PreparedWord[]): boolean {
  if (wanted.length === 0) return false;
  for (let start = 0; start + wanted.length <= typed.length; start += 1) {
    if (wanted.every((word, offset) => sameWord(typed[start + offset] as PreparedWord, word))) return true;
  }
  return false;
}

/**
 * True when `input` is the keyword, compared word by word. A word typed with diacritics must carry the
 * keyword's marks ("đúng" is not "dừng", but "xoá" is "xóa"); a word typed without any matches the folded
 * keyword ("dung" is "dừng"), so half-accented input such as "xoa du liệu" still matches.
 */
export function isSameWord(input: string, keyword: string): boolean {
  return wordsEqual(prepareWords(input), prepareWords(keyword));
}

/**
 * True when `phrase` occurs in `input` as whole words, each word compared as in `isSameWord`: a word typed
 * with diacritics must match them ("nuôi cừu" is not "cứu"), a word typed without matches its folded form,
 * so half-accented messages such as "chong toi đánh tôi" still match.
 */
export function containsPhrase(input: string, phrase: string): boolean {
  return wordsContain(prepareWords(input), prepareWords(phrase));
}
