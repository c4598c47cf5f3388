/**
 * Text comparison that survives how people really type: any case, NFC or NFD, with or without Vietnamese
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

function isSameSingleWord(input: string, keyword: string): boolean {
  const folded = foldText(input);
  if (folded !== foldText(keyword)) return false;
  const typedWithDiacritics = folded !== input;
  return !typedWithDiacritics || marksOf(input) === marksOf(simplifyText(keyword));
}

/**
 * True when `input` is the keyword, compared word by word. A word typed with diacritics must carry the
 * keyword's marks ("đúng" is not "dừng", but "xoá" is "xóa"); a word typed without any matches the folded
 * keyword ("dung" is "dừng"), so half-accented input such as "xoa du liệu" still matches.
 */
export function isSameWord(input: string, keyword: string): boolean {
  const typed = simplifyText(input).split(" ");
  const wanted = simplifyText(keyword).split(" ");
  return typed.length === wanted.length && typed.every((word, index) => isSameSingleWord(word, wanted[index] ?? ""));
}

/**
 * True when `phrase` occurs in `input` as whole words, each word compared as in `isSameWord`: a word typed
 * with diacritics must match them ("nuôi cừu" is not "cứu"), a word typed without matches its folded form,
 * so half-accented messages such as "chong toi đánh tôi" still match.
 */
export function containsPhrase(input: string, phrase: string): boolean {
  const needle = simplifyText(phrase).split(" ").filter(Boolean);
  if (needle.length === 0) return false;
  const words = simplifyText(input).split(" ");
  for (let start = 0; start + needle.length <= words.length; start += 1) {
    if (needle.every((word, offset) => isSameWord(words[start + offset] ?? "", word))) return true;
  }
  return false;
}
