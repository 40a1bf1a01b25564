import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/api/client-ip";

const forwarded = (value: string) => new Headers({ "x-forwarded-for": value });

describe("clientIp", () => {
  it("takes the address the front server saw when clients connect directly", () => {
    expect(clientIp(forwarded("6.6.6.6, 203.0.113.7"), 0)).toBe("203.0.113.7");
  });

  it("skips the entries appended by trusted proxies, and no further", () => {
    // The client forged 6.6.6.6; nginx appended the real client; the front server appended nginx.
    expect(clientIp(forwarded("6.6.6.6, 198.51.100.4, 127.0.0.1"), 1)).toBe("198.51.100.4");
    expect(clientIp(forwarded("127.0.0.1"), 1)).toBe("127.0.0.1");
  });

  it("falls back to X-Real-IP, then to 'unknown'", () => {
    expect(clientIp(new Headers({ "x-real-ip": "192.0.2.1" }), 0)).toBe("192.0.2.1");
    expect(clientIp(new Headers(), 0)).toBe("unknown");
  });
});
