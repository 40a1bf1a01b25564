import "server-only";
import { headers } from "next/headers";
import { clientIp } from "@/lib/api/client-ip";

/** The caller's address inside a server action or page, for the audit log. */
export async function readRequestIp(): Promise<string> {
  return clientIp(await headers());
}
