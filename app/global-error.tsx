"use client";

import { PageError } from "@/components/page-error";
import "./globals.css";

/** A failure in the root layout itself: the same page, with its own html and body. */
export default function GlobalError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <PageError {...props} />
      </body>
    </html>
  );
}
