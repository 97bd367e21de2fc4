// fal's nvidia/nemotron-3-nano-omni/video on `sotto serve --vlm-url ...`, called by the official
// `@fal-ai/client`, unchanged, through the queue (fal.subscribe) and synchronously (fal.run).
// The model server behind it is VideoEndpointTest's fake (no vision-language model runs here), so
// the answer text is the fake's; what is checked is the contract: queue states, result shape,
// validation errors. Environment (set by VideoEndpointTest.java): SOTTO_URL, VIDEO_URL, EXPECTED_OUTPUT.

import { test } from "node:test";
import assert from "node:assert/strict";
import { ValidationError, createFalClient } from "@fal-ai/client";

const ENDPOINT = "nvidia/nemotron-3-nano-omni/video";
const SOTTO_URL = process.env.SOTTO_URL;
const VIDEO_URL = process.env.VIDEO_URL;
const EXPECTED = process.env.EXPECTED_OUTPUT;
const STATUSES = ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"];

// The client calls https://queue.fal.run/<id> and https://fal.run/<id>: map both to the local server.
const fal = createFalClient({
  requestMiddleware: async (request) => {
    const u = new URL(request.url);
    if (u.host === "fal.run") return { ...request, url: `${SOTTO_URL}${u.pathname}${u.search}` };
    if (u.host === "queue.fal.run") return { ...request, url: `${SOTTO_URL}/queue${u.pathname}${u.search}` };
    throw new Error(`the fal client tried to reach ${request.url}, which is not a sotto route`);
  },
});

function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function assertShape(data) {
  assert.equal(data.output, EXPECTED);
  assert.equal(data.finish_reason, "stop");
  assert.equal(typeof data.usage.input_tokens, "number");
  assert.equal(data.usage.output_tokens, 17);
}

test("fal.subscribe (queue, logs) returns the model server's answer in fal's shape", async (t) => {
  const updates = [];
  const result = await within(120_000, fal.subscribe(ENDPOINT, {
    input: { video_url: VIDEO_URL, prompt: "What happens?", reasoning_mode: "think", max_tokens: 256 },
    logs: true,
    onQueueUpdate: (u) => updates.push(u),
  }), "fal.subscribe");
  const seen = updates.map((u) => u.status);
  t.diagnostic(`statuses: ${seen.join(" → ")}`);
  assertShape(result.data);
  assert.equal(seen.at(-1), "COMPLETED");
  assert.ok(seen.every((s) => STATUSES.includes(s)), `only fal's statuses: ${seen}`);
  const messages = updates.at(-1).logs.map((l) => l.message);
  assert.ok(messages.some((m) => m.startsWith("picked ") && m.includes("frames")), `the job logs its steps: ${messages}`);
});

test("fal.run (synchronous) returns the same shape", async () => {
  const result = await within(120_000, fal.run(ENDPOINT, { input: { video_url: VIDEO_URL, prompt: "Describe it." } }), "fal.run");
  assertShape(result.data);
});

test("out-of-range inputs are a ValidationError naming the fields", async () => {
  const error = await within(30_000, fal.run(ENDPOINT, { input: { video_url: VIDEO_URL, prompt: "x", max_tokens: 0, temperature: 3 } })
    .then(() => null, (e) => e), "fal.run invalid");
  assert.ok(error instanceof ValidationError, `ValidationError, got ${error?.constructor?.name}: ${error?.message}`);
  assert.ok(error.getFieldErrors("max_tokens").length > 0, JSON.stringify(error.body));
  assert.ok(error.getFieldErrors("temperature").length > 0, JSON.stringify(error.body));
});
