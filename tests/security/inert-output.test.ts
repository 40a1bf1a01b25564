import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from "next/constants.js";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- next.config.mjs is plain JavaScript without types
import nextConfig from "@/next.config.mjs";

const ROOTS = ["app", "components", "lib"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(tsx?|mjs)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("customer text and model output are rendered as text, never as HTML", () => {
  it("no source file injects HTML or evaluates strings", () => {
    const offenders = ROOTS.flatMap(sourceFiles).flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return [/dangerouslySetInnerHTML/, /\.innerHTML\s*=/, /\.outerHTML\s*=/, /insertAdjacentHTML/, /document\.write/, /\beval\(/, /new Function\(/]
        .filter((pattern) => pattern.test(text))
        .map((pattern) => `${file}: ${pattern}`);
    });
    expect(offenders).toEqual([]);
  });

  it("(control) the scan sees the app's files", () => {
    expect(ROOTS.flatMap(sourceFiles)).toEqual(expect.arrayContaining([path.join("app", "replays", "replay-editor.tsx")]));
  });
});

type Header = { key: string; value: string };

async function headersFor(phase: string): Promise<Record<string, string>> {
  const config = (nextConfig as unknown as (phase: string) => { headers: () => Promise<{ source: string; headers: Header[] }[]>; experimental?: { serverActions?: { allowedOrigins?: string[] } } })(phase);
  const [rule] = await config.headers();
  expect(rule!.source).toBe("/:path*");
  return Object.fromEntries(rule!.headers.map((h) => [h.key, h.value]));
}

describe("security headers (next.config.mjs)", () => {
  it("sends a CSP without unsafe-eval in production, framing refused, nosniff and a referrer policy", async () => {
    const headers = await headersFor(PHASE_PRODUCTION_SERVER);
    const csp = headers["Content-Security-Policy"]!;
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["X-Frame-Options"]).toBe("DENY");
  });

  it("allows unsafe-eval only for the development server", async () => {
    expect((await headersFor(PHASE_DEVELOPMENT_SERVER))["Content-Security-Policy"]).toContain("'unsafe-eval'");
  });

  it("keeps Next.js's origin check on server actions (no extra allowed origins)", () => {
    const config = (nextConfig as unknown as (phase: string) => { experimental?: { serverActions?: { allowedOrigins?: string[] } } })(PHASE_PRODUCTION_SERVER);
    expect(config.experimental?.serverActions?.allowedOrigins).toBeUndefined();
  });
});
