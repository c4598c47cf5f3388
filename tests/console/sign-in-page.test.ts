import { describe, expect, it } from "vitest";
import { consoleText, fillText } from "../../src/console/console-locale.ts";
import { renderSignInPage } from "../../src/console/sign-in-page.ts";
import type { SignInProblem } from "../../src/console/view-models.ts";
import { signInView } from "./console-fixtures.ts";
import { startTags, textOfId } from "./html-inspection.ts";

function page(locale: "vi" | "en", problem: SignInProblem | null): string {
  return renderSignInPage({ ...signInView(locale), problem });
}

function input(document: string, id: string): Map<string, string> {
  return startTags(document, "input").find((tag) => tag.attributes.get("id") === id)?.attributes ?? new Map();
}

const vi = consoleText("vi").signIn;

describe("the sign-in page", () => {
  it("keeps the username typed before, never a password, and lets the browser fill both", () => {
    const document = page("vi", null);
    expect(input(document, "username").get("value")).toBe("mai.lo");
    expect(input(document, "username").get("autocomplete")).toBe("username");
    expect(input(document, "password").get("value")).toBe("");
    expect(input(document, "password").get("type")).toBe("password");
    expect(input(document, "password").get("autocomplete")).toBe("current-password");
    expect(document).not.toContain("sign-in-problem");
  });

  it("says a wrong name or password without telling which, and marks both fields", () => {
    const document = page("vi", { kind: "wrong-credentials" });
    expect(textOfId(document, "sign-in-problem")).toBe(vi.wrongCredentials);
    for (const id of ["username", "password"]) {
      expect(input(document, id).get("aria-describedby")).toBe("sign-in-problem");
      expect(input(document, id).get("aria-invalid")).toBe("true");
    }
    expect(document).toContain("<title>Lỗi: Đăng nhập – Loa</title>");
  });

  it("says how many minutes a lock lasts, tied to the fields, without calling them wrong", () => {
    const document = page("vi", { kind: "locked", minutes: 15 });
    expect(textOfId(document, "sign-in-problem")).toBe(fillText(vi.locked, { minutes: 15 }));
    expect(textOfId(document, "sign-in-problem")).toContain("15 phút");
    expect(input(document, "username").get("aria-describedby")).toBe("sign-in-problem");
    expect(input(document, "username").has("aria-invalid")).toBe(false);
    expect(textOfId(page("en", { kind: "locked", minutes: 15 }), "sign-in-problem")).toBe(
      "This account is locked after too many wrong passwords. Try again in 15 min.",
    );
  });

  it("says when there were too many attempts from this device", () => {
    expect(textOfId(page("vi", { kind: "too-many-attempts", minutes: 5 }), "sign-in-problem")).toBe(fillText(vi.tooManyAttempts, { minutes: 5 }));
    expect(textOfId(page("en", { kind: "too-many-attempts", minutes: 5 }), "sign-in-problem")).toBe("Too many attempts from this device. Try again in 5 min.");
  });

  it("explains an ended session as a notice, not as an error", () => {
    const document = page("vi", { kind: "session-ended" });
    expect(textOfId(document, "sign-in-problem")).toBe(vi.sessionEnded);
    expect(document).toContain('class="notice" role="status"');
    expect(input(document, "username").has("aria-describedby")).toBe(false);
    expect(document).toContain("<title>Đăng nhập – Loa</title>");
  });
});
