// `sotto serve` driven by the official `@fal-ai/client` package, unchanged. Two ways of pointing it at
// a local server, both read from the installed client's source (@fal-ai/client 1.10.1, src/config.js,
// src/middleware.js, src/request.js):
//  - `requestMiddleware: async (req) => ({...req, url})` sees every request's full URL before it is sent.
//    The client calls https://fal.run/<id> for fal.run and https://queue.fal.run/<id> for the queue
//    (status, result and cancel drop the sub-path: /fal-ai/nemotron/requests/<id>/status), so they map
//    to SOTTO_URL/<id> and SOTTO_URL/queue/<id>; any other host fails the test (nothing leaves the machine).
//  - `proxyUrl: {url, when: "always"}` sends every request to `url` with its method and body and the
//    original URL in `x-fal-target-url`. A plain string `proxyUrl` applies only in a browser.
// `credentials` becomes `Authorization: Key <credentials>`.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, ValidationError, createFalClient } from "@fal-ai/client";
import { SOTTO_KEY, SOTTO_STRICT_URL, SOTTO_URL, cli, sharedFile, startFileServer, within } from "./support.mjs";

const JFK = "audio/en/jfk.wav";
const ENDPOINT = "fal-ai/nemotron/asr";
const MULTILINGUAL = "nvidia/nemotron-asr-multilingual/asr";
const STATUSES = ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"];

function localUrl(base, url) {
  const u = new URL(url);
  if (u.host === "fal.run") return `${base}${u.pathname}${u.search}`;
  if (u.host === "queue.fal.run") return `${base}/queue${u.pathname}${u.search}`;
  throw new Error(`the fal client tried to reach ${url}, which is not a sotto route`);
}

function viaMiddleware(base, key = SOTTO_KEY) {
  return createFalClient({
    credentials: key || undefined,
    requestMiddleware: async (request) => ({ ...request, url: localUrl(base, request.url) }),
  });
}

function viaProxy(base, key = SOTTO_KEY) {
  return createFalClient({ credentials: key || undefined, proxyUrl: { url: `${base}/fal/proxy`, when: "always" } });
}

/** Settles with the error a promise rejects with; fails if it resolves or takes longer than `ms`. */
async function rejection(promise, ms, what) {
  const outcome = await within(ms, promise.then((value) => ({ value }), (error) => ({ error })), what);
  if (!("error" in outcome)) assert.fail(`${what}: expected an error, got ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

function assertClientError(error, what) {
  assert.ok(error instanceof ApiError, `${what}: ApiError, got ${error?.constructor?.name}: ${error?.message}`);
  assert.ok(error.status >= 400 && error.status < 500, `${what}: a 4xx status, got ${error.status} ${JSON.stringify(error.body)}`);
  assert.ok(error.body && "detail" in error.body, `${what}: fal's error body {detail}, got ${JSON.stringify(error.body)}`);
}

let files;
before(async () => {
  files = await startFileServer();
});
after(() => files.close());

for (const [name, connect] of [["requestMiddleware", viaMiddleware], ["proxyUrl", viaProxy]]) {
  describe(`fal client via ${name}`, () => {
    const fal = connect(SOTTO_URL);

    test("fal.subscribe (polling, logs) reports the queue states and returns the CLI's text", async (t) => {
      const updates = [];
      let enqueued;
      const result = await within(60_000, fal.subscribe(ENDPOINT, {
        input: { audio_url: files.url(JFK) },
        logs: true,
        onEnqueue: (id) => { enqueued = id; },
        onQueueUpdate: (update) => updates.push(update),
      }), "fal.subscribe");
      const seen = updates.map((u) => u.status);
      t.diagnostic(`statuses seen: ${seen.join(" → ")}`);

      assert.deepEqual(result.data, { output: cli(JFK).text, partial: false });
      assert.ok(typeof enqueued === "string" && enqueued.length > 0, "onEnqueue got a request id");
      assert.equal(result.requestId, enqueued, "the result carries the request id (x-fal-request-id)");
      assert.equal(seen.at(-1), "COMPLETED");
      assert.ok(seen.every((s) => STATUSES.includes(s)), `only fal's statuses: ${seen}`);
      const order = seen.map((s) => STATUSES.indexOf(s));
      assert.deepEqual(order, [...order].sort((a, b) => a - b), `statuses never go back: ${seen}`);
      assert.ok(Array.isArray(updates.at(-1).logs), "with logs: true the COMPLETED status carries logs");
      assert.ok(files.hits.includes(`/${JFK}`), "sotto fetched the audio URL");
    });

    test("fal.subscribe with the SSE status stream (mode: streaming) returns the CLI's text", async (t) => {
      const updates = [];
      const result = await within(60_000, fal.subscribe(ENDPOINT, {
        input: { audio_url: files.url(JFK) },
        mode: "streaming",
        onQueueUpdate: (update) => updates.push(update),
      }), "fal.subscribe (streaming)");
      t.diagnostic(`statuses streamed: ${updates.map((u) => u.status).join(" → ")}`);
      assert.equal(updates.at(-1)?.status, "COMPLETED", "the stream ends with COMPLETED");
      assert.deepEqual(result.data, { output: cli(JFK).text, partial: false });
    });

    test("fal.run on the synchronous endpoint returns the CLI's text", async () => {
      const result = await within(60_000, fal.run(ENDPOINT, { input: { audio_url: files.url(JFK) } }), "fal.run");
      assert.deepEqual(result.data, { output: cli(JFK).text, partial: false });
    });

    test("fal.queue.submit / status / result, step by step", async () => {
      const submitted = await fal.queue.submit(ENDPOINT, { input: { audio_url: files.url(JFK) } });
      const id = submitted.request_id;
      assert.ok(typeof id === "string" && id.length > 0);
      for (const field of ["status_url", "response_url", "cancel_url"]) {
        assert.ok(String(submitted[field]).includes(id), `${field} names the request: ${submitted[field]}`);
      }
      assert.equal(typeof submitted.queue_position, "number");
      let status;
      for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
        status = await fal.queue.status(ENDPOINT, { requestId: id, logs: true });
        if (status.status === "COMPLETED") break;
        assert.ok(STATUSES.includes(status.status), `a fal status: ${JSON.stringify(status)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status.status, "COMPLETED");
      const result = await fal.queue.result(ENDPOINT, { requestId: id });
      assert.deepEqual(result.data, { output: cli(JFK).text, partial: false });
    });
  });
}

describe("fal client errors", () => {
  const fal = viaMiddleware(SOTTO_URL);

  test("fal.run on the multilingual endpoint answers like the English one", async () => {
    const result = await within(60_000, fal.run(MULTILINGUAL, { input: { audio_url: files.url(JFK), language: "en" } }), "fal.run multilingual");
    assert.deepEqual(result.data, { output: cli(JFK).text, partial: false });
  });

  test("an audio_url that is a 404: fal.run rejects with a 4xx ApiError", async () => {
    const error = await rejection(fal.run(ENDPOINT, { input: { audio_url: files.url("audio/missing.wav") } }), 5_000, "fal.run 404");
    assertClientError(error, "404 audio_url");
    assert.ok(files.hits.includes("/audio/missing.wav"), "sotto did try the URL");
  });

  test("an audio_url that is a 404: fal.subscribe rejects, it does not hang", async () => {
    const error = await rejection(fal.subscribe(ENDPOINT, { input: { audio_url: files.url("audio/missing-too.wav") } }), 10_000, "fal.subscribe 404");
    assertClientError(error, "404 audio_url in the queue");
  });

  test("a missing audio_url is a ValidationError on audio_url", async () => {
    const error = await rejection(fal.run(ENDPOINT, { input: { language: "en" } }), 5_000, "fal.run without audio_url");
    assert.ok(error instanceof ValidationError, `ValidationError (422), got ${error?.constructor?.name} ${error?.status}`);
    assert.ok(error.getFieldErrors("audio_url").length > 0, `a field error on audio_url: ${JSON.stringify(error.body)}`);
  });

  test("a wrong key is a 401 ApiError", { skip: SOTTO_KEY ? false : "the server runs without --api-key" }, async () => {
    const stranger = viaMiddleware(SOTTO_URL, SOTTO_KEY + "-wrong");
    const error = await rejection(stranger.run(ENDPOINT, { input: { audio_url: files.url(JFK) } }), 5_000, "wrong key");
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 401);
  });
});

describe("without --allow-private-urls", { skip: SOTTO_STRICT_URL ? false : "SOTTO_STRICT_URL is not set" }, () => {
  const fal = viaMiddleware(SOTTO_STRICT_URL);

  test("a loopback audio_url is refused with a 4xx before anything is fetched (fal.run)", async () => {
    const before = files.hits.length;
    for (const url of [files.url(JFK), files.url(JFK).replace("127.0.0.1", "localhost")]) {
      const error = await rejection(fal.run(ENDPOINT, { input: { audio_url: url } }), 5_000, `fal.run ${url}`);
      assertClientError(error, url);
    }
    assert.equal(files.hits.length, before, "the refused URLs were never requested");
  });

  test("a loopback audio_url is refused (fal.subscribe rejects, it does not hang)", async () => {
    const before = files.hits.length;
    const error = await rejection(fal.subscribe(ENDPOINT, { input: { audio_url: files.url(JFK) } }), 10_000, "fal.subscribe loopback");
    assertClientError(error, "loopback audio_url in the queue");
    assert.equal(files.hits.length, before, "the refused URL was never requested");
  });

  test("a file:// audio_url is refused without --allow-file-root", async () => {
    const error = await rejection(fal.run(ENDPOINT, { input: { audio_url: `file://${sharedFile(JFK)}` } }), 5_000, "fal.run file://");
    assertClientError(error, "file:// audio_url");
  });
});
