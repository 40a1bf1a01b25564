import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

/**
 * The OpenAI files + fine-tuning HTTP API, as the real `openai` SDK sees it: multipart upload
 * (POST /v1/files), file status, job create/retrieve/cancel/events with status transitions
 * (validating_files → queued → running → succeeded | failed), and scripted failures.
 * Each retrieve of a job advances it one step, so tests drive time by polling.
 */
export type FakeFile = { id: string; filename: string; purpose: string; bytes: number; content: string; status: "uploaded" | "processed"; reads: number };
export type FakeJob = {
  id: string;
  model: string;
  training_file: string;
  validation_file: string | null;
  suffix: string | null;
  method: unknown;
  status: "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled";
  fine_tuned_model: string | null;
  error: { code: string; message: string; param: string | null } | null;
  events: { id: string; created_at: number; level: string; message: string; object: "fine_tuning.job.event"; type: "message" }[];
  created_at: number;
  finished_at: number | null;
  /** When set, the job fails with this message instead of succeeding. */
  failWith?: string;
};

export type FineTuningScript = {
  /** Let `skip` uploads through, then fail the next `count` with this HTTP status. */
  failUploads?: { skip?: number; count: number; status: number };
  /** Jobs created from now on fail with this message (as OpenAI reports a failed job). */
  failJobsWith?: string;
  /** Retrieves a file needs before it is "processed". */
  fileProcessingReads?: number;
  /** Job creation is refused with this status and message (OpenAI's wind-down refusal). */
  refuseJobs?: { status: number; message: string; code?: string };
};

export function createFineTuningRoutes() {
  const files = new Map<string, FakeFile>();
  const jobs = new Map<string, FakeJob>();
  const requests: { method: string; path: string; idempotencyKey: string | null; apiVersion: string | null }[] = [];
  const script: FineTuningScript = { fileProcessingReads: 1 };

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const error = (res: http.ServerResponse, status: number, message: string, code: string | null = null) =>
    json(res, status, { error: { message, type: "invalid_request_error", param: null, code } });
  const fileObject = (f: FakeFile) => ({ id: f.id, object: "file", bytes: f.bytes, created_at: 0, filename: f.filename, purpose: f.purpose, status: f.status });
  const jobObject = (j: FakeJob) => {
    const { failWith: _failWith, events: _events, ...rest } = j;
    return { object: "fine_tuning.job", organization_id: "org-fake", result_files: [], trained_tokens: null, hyperparameters: {}, seed: 1, estimated_finish: null, integrations: null, ...rest };
  };
  const addEvent = (job: FakeJob, message: string, level = "info") =>
    job.events.push({ id: `ftevent-${randomUUID()}`, created_at: Math.floor(Date.now() / 1000), level, message, object: "fine_tuning.job.event", type: "message" });

  function advance(job: FakeJob) {
    const next: Partial<Record<FakeJob["status"], FakeJob["status"]>> = { validating_files: "queued", queued: "running", running: job.failWith ? "failed" : "succeeded" };
    const to = next[job.status];
    if (!to) return;
    job.status = to;
    if (to === "running") addEvent(job, "Fine-tuning job started");
    if (to === "succeeded") {
      job.fine_tuned_model = `ft:${job.model}:fake-org:${job.suffix ?? "model"}:${job.id.slice(-6)}`;
      job.finished_at = Math.floor(Date.now() / 1000);
      addEvent(job, "The job has successfully completed");
    }
    if (to === "failed") {
      job.error = { code: "invalid_training_file", message: job.failWith!, param: "training_file" };
      job.finished_at = Math.floor(Date.now() / 1000);
      addEvent(job, job.failWith!, "error");
    }
  }

  /** Returns true when it handled the request. */
  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    // Azure OpenAI: the same API under /openai, with ?api-version= and an api-key header.
    const azure = url.pathname.startsWith("/openai/");
    const path = url.pathname.replace(/^\/openai/, "").replace(/^\/v1/, "");
    if (!path.startsWith("/files") && !path.startsWith("/fine_tuning")) return false;
    requests.push({ method: req.method ?? "", path, idempotencyKey: (req.headers["idempotency-key"] as string) ?? null, apiVersion: url.searchParams.get("api-version") });
    if (azure && !url.searchParams.get("api-version")) return (error(res, 404, "Resource not found: api-version is required"), true);
    if (azure && !req.headers["api-key"]) return (error(res, 401, "Access denied due to missing subscription key."), true);

    if (req.method === "POST" && path === "/files") {
      const failing = script.failUploads;
      if (failing && failing.skip) failing.skip -= 1;
      else if (failing && failing.count > 0) {
        failing.count -= 1;
        error(res, failing.status, "The server had an error while processing your request.");
        return true;
      }
      const request = new Request(url, { method: "POST", headers: req.headers as HeadersInit, body: Readable.toWeb(req) as ReadableStream, duplex: "half" } as RequestInit);
      const form = await request.formData();
      const file = form.get("file");
      const purpose = String(form.get("purpose") ?? "");
      if (!(file instanceof File)) return (error(res, 400, "'file' is a required property"), true);
      if (purpose !== "fine-tune") return (error(res, 400, `'${purpose}' is not a valid purpose`), true);
      const content = await file.text();
      // Chat lines for SFT, preference pairs for DPO (input + preferred_output + non_preferred_output).
      const bad = content.split("\n").filter(Boolean).findIndex((line) => {
        try {
          const value = JSON.parse(line);
          return !Array.isArray(value.messages) && !(Array.isArray(value.input?.messages) && Array.isArray(value.preferred_output) && Array.isArray(value.non_preferred_output));
        } catch {
          return true;
        }
      });
      if (bad >= 0) return (error(res, 400, `Invalid file format: line ${bad + 1} is not a chat example`, "invalid_file_format"), true);
      const stored: FakeFile = { id: `file-${randomUUID().replaceAll("-", "").slice(0, 24)}`, filename: file.name, purpose, bytes: Buffer.byteLength(content), content, status: "uploaded", reads: 0 };
      files.set(stored.id, stored);
      json(res, 200, fileObject(stored));
      return true;
    }
    const fileMatch = /^\/files\/([\w-]+)$/.exec(path);
    if (req.method === "GET" && fileMatch) {
      const f = files.get(fileMatch[1]!);
      if (!f) return (error(res, 404, `No such File object: ${fileMatch[1]}`), true);
      f.reads += 1;
      if (f.reads >= (script.fileProcessingReads ?? 1)) f.status = "processed";
      json(res, 200, fileObject(f));
      return true;
    }
    if (req.method === "POST" && path === "/fine_tuning/jobs") {
      const body = JSON.parse(await new Response(Readable.toWeb(req) as ReadableStream).text());
      if (script.refuseJobs) return (error(res, script.refuseJobs.status, script.refuseJobs.message, script.refuseJobs.code ?? null), true);
      const training = files.get(body.training_file);
      if (!training) return (error(res, 400, `invalid training_file: ${body.training_file}`, "invalid_training_file"), true);
      if (body.validation_file && !files.has(body.validation_file)) return (error(res, 400, `invalid validation_file: ${body.validation_file}`), true);
      if (!body.model) return (error(res, 400, "'model' is a required property"), true);
      const job: FakeJob = {
        id: `ftjob-${randomUUID().replaceAll("-", "").slice(0, 24)}`,
        model: body.model,
        training_file: body.training_file,
        validation_file: body.validation_file ?? null,
        suffix: body.suffix ?? null,
        method: body.method ?? null,
        status: "validating_files",
        fine_tuned_model: null,
        error: null,
        events: [],
        created_at: Math.floor(Date.now() / 1000),
        finished_at: null,
        failWith: script.failJobsWith,
      };
      addEvent(job, `Created fine-tuning job: ${job.id}`);
      jobs.set(job.id, job);
      json(res, 200, jobObject(job));
      return true;
    }
    const jobMatch = /^\/fine_tuning\/jobs\/([\w-]+)(\/events|\/cancel)?$/.exec(path);
    if (jobMatch) {
      const job = jobs.get(jobMatch[1]!);
      if (!job) return (error(res, 404, `Could not find fine-tune job: ${jobMatch[1]}`), true);
      if (req.method === "GET" && !jobMatch[2]) {
        advance(job);
        json(res, 200, jobObject(job));
      } else if (req.method === "GET" && jobMatch[2] === "/events") {
        json(res, 200, { object: "list", data: [...job.events].reverse(), has_more: false });
      } else if (req.method === "POST" && jobMatch[2] === "/cancel") {
        job.status = "cancelled";
        json(res, 200, jobObject(job));
      } else return false;
      return true;
    }
    return false;
  }

  return { handle, files, jobs, requests, script };
}

/** A standalone server with only the fine-tuning routes, for tests that need nothing else. */
export async function startFakeFineTuningServer() {
  const routes = createFineTuningRoutes();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    routes.handle(req, res, url).then((handled) => {
      if (!handled) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `Unknown route ${req.method} ${url.pathname}`, type: "invalid_request_error" } }));
      }
    }, (e: Error) => {
      res.writeHead(500);
      res.end(e.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { ...routes, baseURL: `http://127.0.0.1:${port}/v1`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
