import http from "node:http";
import type { AddressInfo } from "node:net";
import { createFineTuningRoutes } from "../../support/fake-openai-fine-tuning";

export type Gate = {
  /** Resolves when the held request has arrived (the caller is now waiting on it). */
  arrived: Promise<void>;
  /** Answer it as the fake would. */
  pass: () => void;
  /** Answer it with a 500 (OpenAI's "server had an error"). */
  fail: () => void;
};

/**
 * The fake files + fine-tuning API (tests/support/fake-openai-fine-tuning.ts) with gates: the
 * next request matching a gate is held until the test passes or fails it, so a test can kill the
 * database or the app process at an exact step of the weekly job.
 */
export async function startGatedFineTuning() {
  const routes = createFineTuningRoutes();
  const gates: { method: string; path: RegExp; arrive: () => void; decision: Promise<"pass" | "fail"> }[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const index = gates.findIndex((g) => g.method === req.method && g.path.test(url.pathname));
    if (index >= 0) {
      const [gate] = gates.splice(index, 1);
      gate!.arrive();
      if ((await gate!.decision) === "fail") {
        res.writeHead(500, { "content-type": "application/json" });
        return void res.end(JSON.stringify({ error: { message: "The server had an error while processing your request.", type: "server_error" } }));
      }
    }
    const handled = await routes.handle(req, res, url).catch(() => false);
    if (!handled && !res.headersSent) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `Unknown route ${req.method} ${url.pathname}`, type: "invalid_request_error" } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...routes,
    baseURL: `http://127.0.0.1:${port}/v1`,
    hold(method: string, path: RegExp): Gate {
      let arrive!: () => void;
      let decide!: (d: "pass" | "fail") => void;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const decision = new Promise<"pass" | "fail">((resolve) => (decide = resolve));
      gates.push({ method, path, arrive, decision });
      return { arrived, pass: () => decide("pass"), fail: () => decide("fail") };
    },
    uploads: () => routes.requests.filter((r) => r.method === "POST" && r.path === "/files"),
    jobsCreated: () => routes.requests.filter((r) => r.method === "POST" && r.path === "/fine_tuning/jobs"),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
