import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The seam between a test and the code under test: the headers of "the current request", which
 * Next.js would provide through next/headers. Each call runs in its own scope, so calls may overlap.
 */
const scope = new AsyncLocalStorage<Headers>();

export function withRequestHeaders<T>(headers: Headers, work: () => T): T {
  return scope.run(headers, work);
}

export function currentHeaders(): Headers {
  return scope.getStore() ?? new Headers();
}

export function currentCookies(): Record<string, string> {
  const header = currentHeaders().get("cookie") ?? "";
  return Object.fromEntries(
    header
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const at = part.indexOf("=");
        return [part.slice(0, at), decodeURIComponent(part.slice(at + 1))];
      }),
  );
}
