import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

const signedIn = { cookie: "next-auth.session-token=x" };
const call = (path: string, headers: Record<string, string> = signedIn) => proxy(new NextRequest(`http://localhost${path}`, { headers }));

describe("proxy.ts: one rule for every URL's search parameters", () => {
  it.each([
    "/api/queue?topic=%00",
    "/api/queue?ticket=%00",
    "/replays?topic=%00",
    "/dashboard?topic=%00",
    "/dashboard?model=a%00",
    "/dashboard/export/volume?topic=%00",
    "/training/review?q=%00",
    "/api/training/export?topic=%00",
    "/replays?topic=%C3%28",
    "/training/review?q=%ED%A0%80", // a lone surrogate's bytes are not UTF-8
    "/replays/%00",
  ])("refuses %s with a 400 that names the parameter (was a 500 from PostgreSQL)", async (path) => {
    const response = call(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe("invalid_request");
    const name = new URL(`http://x${path}`).searchParams.keys().next().value ?? "(path)";
    expect(body.error.issues[0]!.path).toBe(name);
  });

  it("passes ordinary URLs, and still sends signed-out page visits to sign-in", () => {
    expect(call("/replays?topic=billing%20%26%20refunds&q=caf%C3%A9+%F0%9F%99%82").headers.get("x-middleware-next")).toBe("1");
    expect(call("/api/queue?topic=x", {}).headers.get("x-middleware-next")).toBe("1");
    expect(call("/signin", {}).headers.get("x-middleware-next")).toBe("1");
    const redirect = call("/dashboard?topic=a", {});
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("location")).toBe("http://localhost/signin?callbackUrl=%2Fdashboard%3Ftopic%3Da");
  });
});
