import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, passwordProblem, verifyPassword, type ScryptParameters } from "../../src/staff/password-hash.ts";

const fast: ScryptParameters = { N: 2 ** 10, r: 8, p: 1, keyLength: 64 };

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one, with a new salt each time", async () => {
    const first = await hashPassword("mật khẩu dài của tôi", fast);
    const second = await hashPassword("mật khẩu dài của tôi", fast);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(await verifyPassword("mật khẩu dài của tôi", first)).toBe(true);
    expect(await verifyPassword("mật khẩu dài của toi", first)).toBe(false);
  });

  it("treats the same words typed as NFC or NFD as the same password", async () => {
    const stored = await hashPassword("Mường Bú 2026 mật khẩu".normalize("NFD"), fast);
    expect(await verifyPassword("Mường Bú 2026 mật khẩu".normalize("NFC"), stored)).toBe(true);
  });

  it("uses a memory-hard default and asks to rehash weaker hashes", async () => {
    const strong = await hashPassword("a long enough passphrase");
    expect(strong.startsWith("scrypt$32768$8$1$")).toBe(true);
    expect(needsRehash(strong)).toBe(false);
    expect(needsRehash(await hashPassword("a long enough passphrase", fast))).toBe(true);
  });

  it("never matches a malformed stored value", async () => {
    for (const stored of ["", "plain", "scrypt$0$8$1$AAAA$BBBB", "bcrypt$1$2$3$4$5"]) expect(await verifyPassword("x", stored)).toBe(false);
  });

  it("asks for passphrases of at least 10 characters, not only digits, without the login name", () => {
    expect(passwordProblem("short", "lan")).toBe("at least 10 characters");
    expect(passwordProblem("0123456789", "lan")).toBe("not only digits");
    expect(passwordProblem("lan-mat-khau-1", "lan")).toBe("must not contain the login name");
    expect(passwordProblem("hoa ban nở trên núi", "lan")).toBeUndefined();
  });
});
