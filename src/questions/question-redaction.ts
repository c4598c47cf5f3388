/**
 * Removes what could identify a person from a question before it leaves the server: phone numbers (seven
 * digits or more, however grouped), e-mail and web addresses, and @names. Short numbers stay, since "15
 * tuổi" or "111" is the question. Names typed in ordinary words cannot be recognised; the privacy notice
 * asks her not to write them.
 */
export function redactIdentifiers(question: string): string {
  return question
    .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu, "[email]")
    .replace(/\b(?:https?:\/\/|www\.)\S+/giu, "[web]")
    .replace(/(?<![\p{L}\p{N}])@[\p{L}\p{N}_.]{2,}/gu, "[name]")
    .replace(/\+?\d(?:[\s.-]?\d){6,}/g, "[phone]");
}
