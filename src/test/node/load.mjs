// A small load generator for `sotto serve`: sends one audio file to POST /v1/audio/transcriptions
// with the official openai client at concurrency 1, 4 and 16 and prints, per level, requests per
// second, p50/p95 latency and seconds of audio transcribed per wall-clock second. It asserts nothing
// about timings; it fails only when a request fails. It only talks to 127.0.0.1.
//
// How to run (from the project root):
//   ./mvnw -o -B -q package -Dmaven.test.skip=true
//   ./sotto serve --host 127.0.0.1 --port 8765 --data /tmp/sotto-load \
//       --model ../shared/models/zipformer-gigaspeech-3.3m [--api-key K] &
//   (cd src/test/node && npm ci)
//   node src/test/node/load.mjs --port 8765 [--key K] [--requests 32] [--levels 1,4,16]
//                               [--file ../shared/audio/en/jfk.wav] [--model whisper-1]
// Or set SOTTO_URL=http://127.0.0.1:8765 and SOTTO_KEY=K instead of --port/--key.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import OpenAI from "openai";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    key: { type: "string", default: process.env.SOTTO_KEY ?? "" },
    requests: { type: "string", default: "32" },
    levels: { type: "string", default: "1,4,16" },
    file: { type: "string", default: path.join(here, "../../../../shared/audio/en/jfk.wav") },
    model: { type: "string", default: "whisper-1" },
  },
});

const base = args.port ? `http://127.0.0.1:${args.port}` : process.env.SOTTO_URL;
if (!base) {
  console.error("usage: node load.mjs --port PORT [--key K] [--requests N] [--levels 1,4,16] [--file F] [--model M]");
  process.exit(2);
}
const host = new URL(base).hostname;
if (host !== "127.0.0.1") {
  console.error(`load.mjs only targets 127.0.0.1, not ${host}`);
  process.exit(2);
}

const requests = Number(args.requests);
const levels = args.levels.split(",").map(Number);
const client = new OpenAI({ apiKey: args.key || "sk-no-key", baseURL: `${base}/v1`, maxRetries: 0, timeout: 600_000 });

// One request up front: checks the server answers, and gives the file's duration.
const probe = await client.audio.transcriptions.create({
  file: fs.createReadStream(args.file),
  model: args.model,
  response_format: "verbose_json",
});
const audioSeconds = probe.duration;
console.log(`${base}: ${path.basename(args.file)} (${audioSeconds.toFixed(2)} s of audio), ${requests} requests per level, model ${args.model}`);
console.log("concurrency  requests/s   p50 ms   p95 ms   audio s per wall s");

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

for (const concurrency of levels) {
  const latencies = [];
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      const start = performance.now();
      await client.audio.transcriptions.create({ file: fs.createReadStream(args.file), model: args.model });
      latencies.push(performance.now() - start);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${String(concurrency).padStart(11)}  ${(requests / wall).toFixed(2).padStart(10)}  ${percentile(latencies, 50).toFixed(0).padStart(7)}  ` +
      `${percentile(latencies, 95).toFixed(0).padStart(7)}  ${((requests * audioSeconds) / wall).toFixed(1).padStart(19)}`,
  );
}
