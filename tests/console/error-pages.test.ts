import { describe, expect, it } from "vitest";
import { renderErrorPage, renderSignedOutPage } from "../../src/console/error-pages.ts";
import { errorView, provinceContext, signedOutContext } from "./console-fixtures.ts";

describe("the error pages", () => {
  it("say a refusal comes from the role or area, and lead back to the overview", () => {
    const page = renderErrorPage(errorView("vi", 403));
    expect(page).toContain("<h1>Không được phép</h1>");
    expect(page).toContain("<p>Vai trò hoặc địa bàn của bạn không cho phép xem hay sửa mục này.</p>");
    expect(page).toContain('<a href="/console">Về trang tổng quan</a>');
  });

  it("lead to sign-in when nobody is signed in", () => {
    const page = renderErrorPage(errorView("en", 404));
    expect(page).toContain("<h1>Not found</h1>");
    expect(page).toContain('<a href="/console/sign-in">Sign in</a>');
    expect(page).not.toContain("Reference");
  });

  it("give a server failure's reference to quote", () => {
    const page = renderErrorPage(errorView("vi", 500));
    expect(page).toContain("<h1>Có lỗi</h1>");
    expect(page).toContain("<p>Mã lỗi: req-7f3a</p>");
    expect(renderErrorPage({ context: provinceContext("en"), status: 500, reference: null })).not.toContain("Reference");
  });
});

describe("the signed-out page", () => {
  it("confirms the sign-out, reminds about shared phones, and offers signing in again", () => {
    const page = renderSignedOutPage({ context: signedOutContext("vi") });
    expect(page).toContain('<p class="success" role="status">Bạn đã đăng xuất.</p>');
    expect(page).toContain("<p>Nếu dùng máy chung, hãy đóng trình duyệt.</p>");
    expect(page).toContain('<a class="button" href="/console/sign-in">Đăng nhập lại</a>');
  });
});
