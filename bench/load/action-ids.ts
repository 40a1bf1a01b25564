import { readFileSync } from "node:fs";
import path from "node:path";

type Manifest = { node: Record<string, { exportedName?: string; filename?: string; workers?: Record<string, unknown> }> };

/**
 * The ids Next.js gave the replay view's server actions in this build (the `Next-Action` header a
 * browser sends), read from the build's server-reference manifest.
 */
export function findActionIds<const N extends string>(names: N[]): Record<N, string> {
  const manifest = JSON.parse(readFileSync(path.join(".next", "server", "server-reference-manifest.json"), "utf8")) as Manifest;
  const found = {} as Record<N, string>;
  for (const name of names) {
    const ids = Object.entries(manifest.node).filter(
      ([, entry]) => entry.exportedName === name && (!entry.filename || entry.filename.includes("app/replays/actions")),
    );
    if (ids.length === 0) throw new Error(`No server action ${name} in .next/server/server-reference-manifest.json: build the app first (npm run build).`);
    found[name] = ids[0]![0];
  }
  return found;
}
