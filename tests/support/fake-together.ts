import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Together AI's files + fine-tunes API as its `together-ai` SDK sees it: `POST /v1/files?file_name=
 * …&purpose=fine-tune` answers 302 with a signed upload URL (Location) and `X-Together-File-Id`,
 * the bytes are PUT there, `GET /v1/files/{id}` reads it back; `POST /v1/fine-tunes` with
 * `training_method` {method: sft|dpo}; `GET /v1/fine-tunes/{id}` (each read advances the job one
 * step: pending → queued → running → completed | error), `/events`, `POST …/cancel`; and the
 * OpenAI-compatible `POST /v1/chat/completions` its fine-tuned models answer on.
 */
export type TogetherJob = {
  id: string;
  status: "pending" | "queued" | "running" | "completed" | "error" | "cancelled";
  model: string;
  training_file: string;
  validation_file: string | null;
  suffix: string | null;
  training_method: { method: string } | null;
  n_epochs: number | null;
  model_output_name: string | null;
  events: { object: "fine-tune-event"; created_at: string; message: string; type: string; level: string }[];
  failWith?: string;
};

export async function startFakeTogether({ apiKey = "together-test-key", port: listenOn = 0 }: { apiKey?: string; port?: number } = {}) {
  const files = new Map<string, { id: string; filename: string; purpose: string; content: string | null }>();
  const jobs = new Map<string, TogetherJob>();
  const requests: { method: string; path: string }[] = [];
  const chats: string[] = [];
  const script: { failPutCount?: number; failJobsWith?: string; refuseStartStatus?: number } = {};
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const event = (job: TogetherJob, message: string, type: string, level = "info") => job.events.push({ object: "fine-tune-event", created_at: new Date().toISOString(), message, type, level });
  const body = async (req: http.IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  };
  const jobObject = ({ failWith: _f, events: _e, ...job }: TogetherJob) => ({ ...job, user_id: "fake-user", created_at: new Date().toISOString() });

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({ method: req.method ?? "", path: url.pathname });
    try {
      // The signed upload URL needs no bearer key (as S3's does not).
      const put = /^\/upload\/([\w-]+)$/.exec(url.pathname);
      if (put && req.method === "PUT") {
        const file = files.get(put[1]!);
        if (!file) return json(res, 404, { message: "no such upload" });
        if (script.failPutCount) {
          script.failPutCount--;
          await body(req);
          return json(res, 503, { message: "Slow down" });
        }
        file.content = await body(req);
        return json(res, 200, {});
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) return json(res, 401, { error: { message: "Invalid API key provided", type: "invalid_request_error" } });
      // Together serves its fine-tuned models on an OpenAI-compatible chat API.
      if (req.method === "POST" && url.pathname === "/v1/chat/completions") {
        const b = JSON.parse(await body(req));
        chats.push(b.model);
        return json(res, 200, {
          id: `chat-${randomUUID()}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: b.model,
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "Sorry for the wait: it ships today." } }],
          usage: { prompt_tokens: 10, completion_tokens: 8, total_tokens: 18 },
        });
      }
      if (req.method === "POST" && url.pathname === "/v1/files") {
        await body(req);
        if (script.refuseStartStatus) return json(res, script.refuseStartStatus, { error: { message: "Upload refused" } });
        if (url.searchParams.get("purpose") !== "fine-tune") return json(res, 400, { error: { message: "purpose must be fine-tune" } });
        const id = `file-${randomUUID()}`;
        files.set(id, { id, filename: url.searchParams.get("file_name") ?? "", purpose: "fine-tune", content: null });
        res.writeHead(302, { location: `http://127.0.0.1:${port}/upload/${id}`, "x-together-file-id": id });
        return res.end();
      }
      const file = /^\/v1\/files\/([\w-]+)$/.exec(url.pathname);
      if (file && req.method === "GET") {
        const f = files.get(file[1]!);
        if (!f || f.content === null) return json(res, 404, { error: { message: `File ${file[1]} not found` } });
        return json(res, 200, { id: f.id, object: "file", filename: f.filename, purpose: f.purpose, bytes: Buffer.byteLength(f.content), created_at: 0, FileType: "jsonl", Processed: true, LineCount: f.content.split("\n").filter(Boolean).length });
      }
      if (req.method === "POST" && url.pathname === "/v1/fine-tunes") {
        const b = JSON.parse(await body(req));
        const training = files.get(b.training_file);
        if (!training?.content) return json(res, 400, { error: { message: `training_file ${b.training_file} not found` } });
        const method = b.training_method?.method ?? "sft";
        const line = JSON.parse(training.content.split("\n")[0]!);
        if (method === "dpo" && !line.preferred_output) return json(res, 400, { error: { message: "DPO needs a preference dataset" } });
        if (method === "sft" && !line.messages) return json(res, 400, { error: { message: "SFT needs a conversational dataset" } });
        const job: TogetherJob = {
          id: `ft-${randomUUID()}`,
          status: "pending",
          model: b.model,
          training_file: b.training_file,
          validation_file: b.validation_file ?? null,
          suffix: b.suffix ?? null,
          training_method: b.training_method ?? null,
          n_epochs: b.n_epochs ?? null,
          model_output_name: null,
          events: [],
          failWith: script.failJobsWith,
        };
        event(job, "Fine tune request created", "job_pending");
        jobs.set(job.id, job);
        return json(res, 200, jobObject(job));
      }
      const match = /^\/v1\/fine-tunes\/([\w-]+)(\/events|\/cancel)?$/.exec(url.pathname);
      if (match) {
        const job = jobs.get(match[1]!);
        if (!job) return json(res, 404, { error: { message: "Fine-tune job not found" } });
        if (req.method === "GET" && !match[2]) {
          const next = { pending: "queued", queued: "running", running: job.failWith ? "error" : "completed" } as const;
          const to = next[job.status as keyof typeof next];
          if (to) {
            job.status = to;
            if (to === "running") event(job, "Training started", "training_start");
            if (to === "completed") {
              job.model_output_name = `fakeuser/${job.model.split("/").at(-1)}-${job.suffix ?? "ft"}-${job.id.slice(-6)}`;
              event(job, "Job finished", "job_complete");
            }
            if (to === "error") event(job, job.failWith!, "job_error", "error");
          }
          return json(res, 200, jobObject(job));
        }
        if (req.method === "GET" && match[2] === "/events") return json(res, 200, { data: job.events });
        if (req.method === "POST" && match[2] === "/cancel") {
          job.status = "cancelled";
          event(job, "Job cancelled", "job_stopped");
          return json(res, 200, jobObject(job));
        }
      }
      json(res, 404, { error: { message: `Unknown route ${req.method} ${url.pathname}` } });
    } catch (e) {
      json(res, 500, { error: { message: String(e) } });
    }
  });
  await new Promise<void>((resolve) => server.listen(listenOn, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { baseURL: `http://127.0.0.1:${port}/v1`, apiKey, files, jobs, requests, chats, script, close: () => new Promise<void>((r) => server.close(() => r())) };
}
