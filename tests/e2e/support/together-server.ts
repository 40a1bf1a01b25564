import { startFakeTogether } from "../../support/fake-together";

// Together AI's fine-tuning and chat protocol on a fixed port, for the `finetune` e2e app server
// (playwright.config.ts): each read of a job advances it one step, so the page's polls drive it.
const port = Number(process.env.E2E_TOGETHER_PORT);
const fake = await startFakeTogether({ apiKey: "together-e2e-key", port });
console.log(`fake Together AI on ${fake.baseURL}`);
