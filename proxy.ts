import { NextResponse, type NextRequest } from "next/server";

/**
 * Only redirects: a signed-out visitor of an app page goes to sign-in with a way back. It checks
 * nothing else; every page, server action and route handler checks the session and role itself.
 */
export function proxy(request: NextRequest) {
  const signedIn =
    request.cookies.has("next-auth.session-token") || request.cookies.has("__Secure-next-auth.session-token");
  if (signedIn) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/signin";
  url.search = `?callbackUrl=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!api/|_next/|signin|forbidden|favicon.ico|.*\\.(?:png|svg|ico|txt)$).*)"],
};
