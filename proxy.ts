import { NextResponse, type NextRequest } from "next/server";

// Pages a signed-out visitor is sent to sign-in from (everything but the API, assets and sign-in).
const PUBLIC = /^\/(api\/|_next\/|signin|forbidden|favicon\.ico)|\.(png|svg|ico|txt)$/;

/**
 * Why the URL cannot be read as sent, or null: a NUL (PostgreSQL text cannot hold it: a 500
 * before), or percent-encoding that is not UTF-8 (URLSearchParams would silently make it U+FFFD).
 * One rule for every page's and route's search parameters.
 */
function badUrl(request: NextRequest): { path: string; message: string } | null {
  const raw = request.nextUrl.search.slice(1);
  for (const pair of raw ? raw.split("&") : []) {
    const [name = "", value = ""] = pair.split("=", 2).map((part) => part.replace(/\+/g, " "));
    let decodedName = name;
    try {
      decodedName = decodeURIComponent(name);
      const decoded = decodeURIComponent(value);
      if (decodedName.includes("\u0000") || decoded.includes("\u0000")) {
        return { path: decodedName.replace(/\u0000/g, "\\u0000"), message: `The query parameter ${decodedName.replace(/\u0000/g, "\\u0000")} must not contain NUL characters (%00).` };
      }
    } catch {
      return { path: decodedName, message: `The query parameter ${decodedName} is not valid percent-encoded UTF-8.` };
    }
  }
  try {
    if (decodeURIComponent(request.nextUrl.pathname).includes("\u0000")) return { path: "(path)", message: "The path must not contain NUL characters (%00)." };
  } catch {
    return { path: "(path)", message: "The path is not valid percent-encoded UTF-8." };
  }
  return null;
}

/**
 * Refuses a URL that cannot be read as sent (400, for pages and the API alike), then only
 * redirects: a signed-out visitor of an app page goes to sign-in with a way back. It checks
 * nothing else; every page, server action and route handler checks the session and role itself.
 */
export function proxy(request: NextRequest) {
  const bad = badUrl(request);
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
