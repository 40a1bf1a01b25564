import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

/**
 * Fireworks AI's REST fine-tuning API: datasets (`POST /v1/accounts/{a}/datasets` with
 * `datasetId`, `POST …/datasets/{id}:upload` multipart, `GET …/datasets/{id}` → state UPLOADING →
 * READY), supervised fine-tuning jobs (`POST …/supervisedFineTuningJobs?supervisedFineTuningJobId=`)
 * and DPO jobs (`POST …/dpoJobs?dpoJobId=`, `trainingConfig`), read with GET (each read advances
 * the job one state: JOB_STATE_CREATING → PENDING → RUNNING → COMPLETED | FAILED), stopped with
 * DELETE. Ids that exist already answer 409, as Fireworks does.
 */
export type FireworksJob = { kind: "sft" | "dpo"; id: string; state: string; body: Record<string, unknown>; outputModel: string; failWith?: string };

export async function startFakeFireworks({ apiKey = "fw-test-key", accountId = "acme" }: { apiKey?: string; accountId?: string } = {}) {
  const datasets = new Map<string, { id: string; state: "UPLOADING" | "READY"; content: string | null; exampleCount: string | null; reads: number }>();
  const jobs = new Map<string, FireworksJob>();
  const requests: { method: string; path: string }[] = [];
  const script: { failUploads?: number; failJobsWith?: string } = {};
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const text = async (req: http.IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  };
  const root = `/v1/accounts/${accountId}`;
  const jobObject = (j: FireworksJob) => ({
    name: `accounts/${accountId}/${j.kind === "dpo" ? "dpoJobs" : "supervisedFineTuningJobs"}/${j.id}`,
    state: j.state,
    status: j.state === "JOB_STATE_FAILED" ? { code: "INVALID_ARGUMENT", message: j.failWith } : { code: "OK", message: "" },
    createTime: new Date().toISOString(),
    updateTime: new Date().toISOString(),
    ...(j.kind === "dpo" ? { trainingConfig: { ...(j.body.trainingConfig as object), outputModel: `accounts/${accountId}/models/${j.outputModel}` } } : { ...j.body, outputModel: `accounts/${accountId}/models/${j.outputModel}` }),
    dataset: j.body.dataset,
  });

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname);
    requests.push({ method: req.method ?? "", path });
    try {
      if (req.headers.authorization !== `Bearer ${apiKey}`) return json(res, 401, { error: { code: 16, message: "unauthenticated" } });
      if (!path.startsWith(root)) return json(res, 403, { error: { code: 7, message: `permission denied for account ${path.split("/")[3]}` } });
      const rest = path.slice(root.length);
      if (req.method === "POST" && rest === "/datasets") {
        const b = JSON.parse(await text(req));
        if (!/^[a-z0-9-]{1,63}$/.test(b.datasetId ?? "")) return json(res, 400, { error: { code: 3, message: "invalid datasetId" } });
        if (datasets.has(b.datasetId)) return json(res, 409, { error: { code: 6, message: "dataset already exists" } });
        datasets.set(b.datasetId, { id: b.datasetId, state: "UPLOADING", content: null, exampleCount: b.dataset?.exampleCount ?? null, reads: 0 });
        return json(res, 200, { name: `accounts/${accountId}/datasets/${b.datasetId}`, state: "UPLOADING" });
      }
      const upload = /^\/datasets\/([a-z0-9-]+):upload$/.exec(rest);
      if (req.method === "POST" && upload) {
        const d = datasets.get(upload[1]!);
        if (!d) return json(res, 404, { error: { code: 5, message: "dataset not found" } });
        if (script.failUploads) {
          script.failUploads--;
          await text(req);
          return json(res, 500, { error: { code: 13, message: "internal" } });
        }
        const request = new Request(url, { method: "POST", headers: req.headers as HeadersInit, body: Readable.toWeb(req) as ReadableStream, duplex: "half" } as RequestInit);
        const file = (await request.formData()).get("file");
        if (!(file instanceof File)) return json(res, 400, { error: { code: 3, message: "file is required" } });
        d.content = await file.text();
        return json(res, 200, {});
      }
      const dataset = /^\/datasets\/([a-z0-9-]+)$/.exec(rest);
      if (req.method === "GET" && dataset) {
        const d = datasets.get(dataset[1]!);
        if (!d) return json(res, 404, { error: { code: 5, message: "dataset not found" } });
        if (d.content !== null && ++d.reads >= 1) d.state = "READY";
        return json(res, 200, { name: `accounts/${accountId}/datasets/${d.id}`, state: d.state, exampleCount: d.exampleCount });
      }
      const create = /^\/(supervisedFineTuningJobs|dpoJobs)$/.exec(rest);
      if (req.method === "POST" && create) {
        const kind = create[1] === "dpoJobs" ? "dpo" : "sft";
        const id = url.searchParams.get(kind === "dpo" ? "dpoJobId" : "supervisedFineTuningJobId") ?? `job-${jobs.size + 1}`;
        const b = JSON.parse(await text(req)) as Record<string, unknown>;
        if (jobs.has(`${kind}:${id}`)) return json(res, 409, { error: { code: 6, message: "job already exists" } });
        const datasetName = String(b.dataset ?? "");
        const d = datasets.get(datasetName.split("/").at(-1)!);
        if (!d || d.state !== "READY") return json(res, 400, { error: { code: 9, message: `dataset ${datasetName} is not READY` } });
        const first = JSON.parse(d.content!.split("\n")[0]!);
        if (kind === "dpo" && !first.preferred_output) return json(res, 400, { error: { code: 3, message: "DPO needs preference data" } });
        const config = (kind === "dpo" ? b.trainingConfig : b) as { baseModel?: string; outputModel?: string };
        if (!config?.baseModel) return json(res, 400, { error: { code: 3, message: "baseModel is required" } });
        const job: FireworksJob = { kind, id, state: "JOB_STATE_CREATING", body: b, outputModel: config.outputModel ?? id, failWith: script.failJobsWith };
        jobs.set(`${kind}:${id}`, job);
        return json(res, 200, jobObject(job));
      }
      const read = /^\/(supervisedFineTuningJobs|dpoJobs)\/([a-z0-9-]+)$/.exec(rest);
      if (read) {
        const job = jobs.get(`${read[1] === "dpoJobs" ? "dpo" : "sft"}:${read[2]}`);
        if (!job) return json(res, 404, { error: { code: 5, message: "job not found" } });
        if (req.method === "DELETE") {
          job.state = "JOB_STATE_CANCELLED";
          return json(res, 200, {});
        }
        const next: Record<string, string> = { JOB_STATE_CREATING: "JOB_STATE_PENDING", JOB_STATE_PENDING: "JOB_STATE_RUNNING", JOB_STATE_RUNNING: job.failWith ? "JOB_STATE_FAILED" : "JOB_STATE_COMPLETED" };
        if (next[job.state]) job.state = next[job.state]!;
        return json(res, 200, jobObject(job));
      }
      json(res, 404, { error: { code: 5, message: `Unknown route ${req.method} ${path}` } });
    } catch (e) {
      json(res, 500, { error: { code: 13, message: String(e) } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { baseURL: `http://127.0.0.1:${port}`, apiKey, accountId, datasets, jobs, requests, script, close: () => new Promise<void>((r) => server.close(() => r())) };
}
