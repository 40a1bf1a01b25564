import { NextResponse, type NextRequest } from "next/server";
import { findBadUrl } from "@/lib/api/find-bad-url";

// Pages a signed-out visitor is sent to sign-in from (everything but the API, assets and sign-in).
const PUBLIC = /^\/(api\/|_next\/|signin|forbidden|favicon\.ico)|\.(png|svg|ico|txt)$/;

/**
 * Refuses a URL that cannot be read as sent (findBadUrl: 400, for pages and the API alike), then only
 * redirects: a signed-out visitor of an app page goes to sign-in with a way back. It checks
 * nothing else; every page, server action and route handler checks the session and role itself.
 */
export function proxy(request: NextRequest) {
  const bad = findBadUrl(request.nextUrl.pathname, request.nextUrl.search);
  if (bad) {
    return NextResponse.json(
      { error: { code: "invalid_request", message: bad.message, issues: [bad] } },
      { status: 400, headers: { "Cache-Control": "no-store" } },
    );
  }
  if (PUBLIC.test(request.nextUrl.pathname)) return NextResponse.next();
  const signedIn =
    request.cookies.has("next-auth.session-token") || request.cookies.has("__Secure-next-auth.session-token");
  if (signedIn) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/signin";
  url.search = `?callbackUrl=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Everything but Next.js's own static files; PUBLIC above decides who may skip sign-in.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
