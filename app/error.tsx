"use client";

import { PageError } from "@/components/page-error";

/** Any page whose server render fails (a database outage included, e.g. /signin or /replays). */
export default function ErrorPage(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError {...props} />;
}
