import { consoleText, fillText } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { csrfField, textField } from "./form-fields.ts";
import { html, safeUrl } from "./html.ts";
import { renderPage } from "./layout.ts";
import type { SignInProblem, SignInView } from "./view-models.ts";

/**
 * The sign-in page: a username and a password, and why the last try was refused. A lock or a wait says how
 * many minutes are left, so staff on a slow link do not keep trying and extend it.
 */

function problemText(text: ConsoleText, problem: SignInProblem): string {
  switch (problem.kind) {
    case "wrong-credentials":
      return text.signIn.wrongCredentials;
    case "locked":
      return fillText(text.signIn.locked, { minutes: problem.minutes });
    case "too-many-attempts":
      return fillText(text.signIn.tooManyAttempts, { minutes: problem.minutes });
    case "session-ended":
      return text.signIn.sessionEnded;
  }
}

/** The sign-in page, with the problem of the last try when there was one. */
export function renderSignInPage(view: SignInView): string {
  const text = consoleText(view.context.locale);
  const problem = view.problem;
  const refused = problem !== null && problem.kind !== "session-ended";
  const formProblem = refused ? { id: "sign-in-problem", invalid: problem.kind === "wrong-credentials" } : null;
  const message =
    problem !== null &&
    html`<p id="sign-in-problem" class="${refused ? "alert" : "notice"}" role="${refused ? "alert" : "status"}">${problemText(text, problem)}</p>`;
  const content = html`${message}<p>${text.signIn.intro}</p>
<form method="post" action="${safeUrl(view.action)}">${csrfField(view.context.csrfToken)}
${textField({ id: "username", name: "username", label: text.signIn.username, value: view.username, autocomplete: "username", literal: true, notes: { formProblem } })}
${textField({ id: "password", name: "password", label: text.signIn.password, value: "", type: "password", autocomplete: "current-password", notes: { formProblem } })}
<button type="submit">${text.signIn.submit}</button>
</form>`;
  return renderPage({ context: view.context, title: text.signIn.title, hasErrors: refused, position: null, content });
}
