/**
 * Starts the app the way `npm start` does (scripts/start.ts: build when stale, embedded
 * PostgreSQL, migrate, `next start`) on its own data directory, so a benchmark never touches the
 * dev database, and stops it again. Also reads the CPU time of the server's process tree.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "@/lib/server/ports";

export { freePort };
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { childEnv } from "@/lib/env";

export type ProductionServer = {
  url: string;
  pid: number;
  /** The server's last output lines, for the error message when something goes wrong. */
  tail: () => string;
  /** Lines the server printed after it became healthy (errors, warnings). */
  linesSinceReady: () => number;
  stop: () => Promise<void>;
};

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      child.off("exit", onExit);
      resolve(false);
    }, timeoutMs);
    child.once("exit", onExit);
  });
}

export async function startProductionServer({
  dataDir,
  port,
  readyTimeoutMs = 15 * 60_000,
}: {
  dataDir: string;
  port: number;
  readyTimeoutMs?: number;
}): Promise<ProductionServer> {
  const url = `http://127.0.0.1:${port}`;
  // Its own process group, so that a server that ignores SIGTERM can still be killed whole.
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // DATABASE_URL is dropped: start.ts would use it instead of the embedded server in dataDir.
    // The per-key rate limit is still counted on every request (its cost is part of the figures);
    // it is only set high enough that one benchmark key is never refused.
    env: childEnv({ DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", SEED_DEMO: "0", DATABASE_URL: undefined, RATE_LIMIT_API_PER_MINUTE: "100000000" }),
  });
  const recent: string[] = [];
  let ready = false;
  let afterReady = 0;
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 60) recent.shift();
      if (ready) afterReady++;
      else console.log(`  server │ ${line}`);
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);

  const server: ProductionServer = {
    url,
    pid: child.pid!,
    tail: () => recent.join("\n"),
    linesSinceReady: () => afterReady,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // start.ts stops Next.js, then the embedded PostgreSQL, then exits.
      child.kill("SIGTERM");
      if (await exited(child, 30_000)) return;
      console.error(`  server │ did not stop within 30 s; killing process group ${child.pid}`);
      process.kill(-child.pid!, "SIGKILL");
      await exited(child, 5_000);
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server exited during start-up (code ${child.exitCode ?? child.signalCode}):\n${server.tail()}`);
    }
    const status = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`GET /api/health did not answer 200 within ${readyTimeoutMs / 1000} s (last: ${status || "no answer"}):\n${server.tail()}`);
    }
    await exited(child, 250); // poll interval; returns at once if the server dies
  }
  ready = true;
  return server;
}

/**
 * CPU seconds (user + system) used so far by a process and its descendants, by command name
 * ("next-server (v1", "postgres", "node"). Linux only: empty elsewhere.
 */
export function processTreeCpu(rootPid: number): Map<string, number> {
  const totals = new Map<string, number>();
  if (!existsSync("/proc/self/stat")) return totals;
  const procs = new Map<number, { ppid: number; comm: string; seconds: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // comm is parenthesised and may contain spaces; the fields after it are fixed.
      const open = stat.indexOf("(");
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      // utime + stime, plus cutime + cstime: the time of children that ended and were reaped
      // (PostgreSQL backends closed by an idle pool), so that a phase's delta never goes negative.
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      procs.set(Number(entry), { ppid: Number(fields[1]), comm: stat.slice(open + 1, close), seconds: ticks / 100 });
    } catch {
      // the process ended while we were reading
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (p === rootPid) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, proc] of procs) {
    if (inTree(pid)) totals.set(proc.comm, (totals.get(proc.comm) ?? 0) + proc.seconds);
  }
  return totals;
}

/** CPU seconds the whole machine has spent busy (all cores, everything but idle and iowait). */
export function machineBusyCpu(): number {
  if (!existsSync("/proc/stat")) return 0;
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return (user + nice + system + irq + softirq + steal) / 100;
}
