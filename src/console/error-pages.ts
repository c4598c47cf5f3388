import { consoleText, fillText } from "./console-locale.ts";
import { html, safeUrl } from "./html.ts";
import { renderPage } from "./layout.ts";
import type { ErrorView, SignedOutView } from "./view-models.ts";

/**
 * The pages that end a path through the console: a refusal, a missing page, a server failure, and the
 * confirmation after signing out. Each says what happened in a sentence and offers one way on.
 */

/** A 403, 404 or 500 page; a 403 says the role or area does not allow it, never what the hidden thing is. */
export function renderErrorPage(view: ErrorView): string {
  const text = consoleText(view.context.locale);
  const words = {
    403: { title: text.errors.forbiddenTitle, message: text.errors.forbidden },
    404: { title: text.errors.notFoundTitle, message: text.errors.notFound },
    500: { title: text.errors.serverTitle, message: text.errors.server },
  }[view.status];
  const signedIn = view.context.staff !== null;
  const reference = view.reference !== null && html`<p>${fillText(text.errors.reference, { reference: view.reference })}</p>`;
  const onward = signedIn
    ? html`<a href="${safeUrl(view.context.urls.overview)}">${text.errors.toOverview}</a>`
    : html`<a href="${safeUrl(view.context.urls.signIn)}">${text.errors.toSignIn}</a>`;
  const content = html`<p>${words.message}</p>${reference}<p class="actions">${onward}</p>`;
  return renderPage({ context: view.context, title: words.title, position: null, content });
}

/** The page after signing out, with a reminder for shared phones and a way back in. */
export function renderSignedOutPage(view: SignedOutView): string {
  const text = consoleText(view.context.locale);
  const content = html`<p class="success" role="status">${text.signedOut.done}</p><p>${text.signedOut.sharedDevice}</p><p class="actions"><a class="button" href="${safeUrl(
    view.context.urls.signIn,
  )}">${text.signedOut.signInAgain}</a></p>`;
  return renderPage({ context: view.context, title: text.signedOut.title, position: null, content });
}
