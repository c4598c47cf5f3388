import { describe, expect, it } from "vitest";
import { redactIdentifiers } from "../../src/questions/question-redaction.ts";

describe("redactIdentifiers", () => {
  it("removes phone numbers however they are grouped, and keeps short numbers that are the question", () => {
    expect(redactIdentifiers("số em là 0912 345 678, con 15 tuổi")).toBe("số em là [phone], con 15 tuổi");
    expect(redactIdentifiers("gọi 0912.345.678 hoặc +84912345678")).toBe("gọi [phone] hoặc [phone]");
    expect(redactIdentifiers("gọi 111 có mất tiền không")).toBe("gọi 111 có mất tiền không");
  });

  it("removes e-mail and web addresses and @names", () => {
    expect(redactIdentifiers("mail lan.nguyen@gmail.com nhé")).toBe("mail [email] nhé");
    expect(redactIdentifiers("xem https://facebook.com/lan.nguyen.9 đi")).toBe("xem [web] đi");
    expect(redactIdentifiers("hỏi @LanNguyen giúp")).toBe("hỏi [name] giúp");
  });
});
