// Latency, capacity and soak harness for live streaming on `sotto serve` (Fireworks protocol, `ws`
// package). Not run by CI: it asserts nothing about timings, it measures them. Loopback only.
//
// What runs: N concurrent streams, each sending a real 16 kHz WAV file in 50 ms frames paced in
// real time (each frame at its due time on a monotonic clock), then {"checkpoint_id":"final"}; once
// the echo is back the stream checks that its final text is the file's reference text (no lost
// audio) and starts the file again. A stream is thus never more than one file behind. All N
// connect before any audio flows (the server refuses newcomers with 1013 while it is behind) and
// start at random offsets within one second, so their chunk boundaries do not all coincide.
//
// Latency per chunk, measured here on the client: from the send time of the 50 ms frame that
// completes a chunk to the arrival of the first message carrying a word decoded from that chunk.
// The Zipformer (chunk 320 ms = 32 fbank frames, 45-frame window, 0.5 s of leading silence added
// by the engine; fbank frame f is the 25 ms window centred on sample 160 f + 80, Kaldi's
// snip_edges=false, so it exists once sample 160 f + 279 has arrived) can decode chunk k once
// 5120 k - 680 samples of the file have arrived (frame 32 k + 44 of the padded input), and emits
// there the tokens of audio time [0.32 k - 0.5, 0.32 (k + 1) - 0.5). A message's newest token time
// is its last word's `end` minus one 40 ms frame (a segment ends one frame after its last token).
// So each message names its chunk, and the first message naming chunk k gives that chunk's
// latency. Chunks that emit no new token (silence, mid-word pieces that add no text) are not
// measured. The same definition is the server's histogram sotto_stream_chunk_latency_seconds,
// scraped before and after each level and reported next to it (it is coarse: bucket bounds).
//
// Reference text: POST /v1/audio/transcriptions of the same file on the same server (which the
// client tests show equals `sotto transcribe`).
//
// How to run (from the project root, after ./mvnw -o -B -q package -Dmaven.test.skip=true and
// (cd src/test/node && npm ci)):
//   node src/test/node/live-load.mjs --levels 1,16,64 --seconds 20                 # starts its own server
//   node src/test/node/live-load.mjs --levels 1,16,64 --seconds 20 --no-batching
//   node src/test/node/live-load.mjs --levels 1,2,4,8,12,16,24,32 --seconds 20     # capacity: largest N with p95 < one chunk
//   node src/test/node/live-load.mjs --soak --streams 64 --seconds 600             # soak: errors, lost audio, RSS
// Runs are whole rounds of the file: a level of --seconds 20 with jfk.wav (11 s) lasts about 23 s.
// The server gets SOTTO_JAVA_OPTS (as the sotto script does), e.g. SOTTO_JAVA_OPTS=-Xmx1g.
// Options: --jar target/sotto.jar --model ../shared/models/zipformer-gigaspeech-3.3m --file ../shared/audio/en/jfk.wav
//          --threads N (the server's --threads), --url http://127.0.0.1:PORT --pid PID (use a running server instead)
//          --key K (the running server's key), --json FILE (write the results)

import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FRAME_BYTES, FireworksStream, readWav, scrapeMetrics, sleep } from "./live-support.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");
const { values: args } = parseArgs({
  options: {
    levels: { type: "string", default: "1,16,64" },
    seconds: { type: "string", default: "20" },
    soak: { type: "boolean", default: false },
    streams: { type: "string", default: "64" },
    warmup: { type: "string", default: "60" },
    "no-batching": { type: "boolean", default: false },
    threads: { type: "string" },
    jar: { type: "string", default: path.join(root, "target/sotto.jar") },
    model: { type: "string", default: path.join(root, "../shared/models/zipformer-gigaspeech-3.3m") },
    file: { type: "string", default: path.join(root, "../shared/audio/en/jfk.wav") },
    url: { type: "string" },
    pid: { type: "string" },
    key: { type: "string", default: "" },
    json: { type: "string" },
  },
});

const CHUNK_S = 0.32;            // the Zipformer's chunk
const FRAME_S = 0.04;            // its output frame
const LEAD_S = 0.5;              // leading silence the engine feeds before the audio
const SAMPLES_PER_FRAME = FRAME_BYTES / 2;

/** Samples of the file needed before chunk k can be decoded (see the header). */
const samplesForChunk = (k) => 5120 * k - 680;
/** The 50 ms frame (index) whose arrival completes chunk k. */
const frameCompleting = (k) => Math.max(0, Math.ceil(samplesForChunk(k) / SAMPLES_PER_FRAME) - 1);
/** The chunk that emitted a token at audio time t. */
const chunkOf = (t) => Math.floor((t + LEAD_S) / CHUNK_S + 1e-6);

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

// ---------------------------------------------------------------------------------------------
// The server

async function freePort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

/** Starts `sotto serve` (java -jar) on a free loopback port; resolves once /health answers. */
async function startServer() {
  const port = await freePort();
  const data = mkdtempSync(path.join(os.tmpdir(), "sotto-live-load-"));
  const javaOptions = (process.env.SOTTO_JAVA_OPTS ?? "").split(/\s+/).filter(Boolean);   // as the sotto script takes them
  const serveArgs = [...javaOptions, "-jar", args.jar, "serve", "--host", "127.0.0.1", "--port", String(port), "--data", data,
    "--model", args.model, "--max-streams", "1024"];
  if (args["no-batching"]) serveArgs.push("--no-batching");
  if (args.threads) serveArgs.push("--threads", args.threads);
  const child = spawn("java", serveArgs, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (d) => {
    log = (log + d).slice(-20_000);
  });
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    if (child.exitCode !== null) throw new Error(`sotto serve exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${base}/health`)).ok) {
        return { base, pid: child.pid, log: () => log, stop: () => { child.kill("SIGTERM"); rmSync(data, { recursive: true, force: true }); } };
      }
    } catch {
      // not listening yet
    }
  }
  child.kill("SIGKILL");
  throw new Error(`sotto serve did not answer /health within 60 s:\n${log}`);
}

function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]);
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;   // utime, stime in clock ticks (USER_HZ = 100)
}

// ---------------------------------------------------------------------------------------------
// One live stream

/**
 * Streams the file in real time over and over until `until` (performance.now()), checking each
 * round's final text. Latencies (ms) go to `latencies`; returns the stream's tally.
 */
async function runStream(url, headers, pcm, reference, until, startDelayMs, latencies) {
  const tally = { rounds: 0, wrongTexts: [], errors: [], refused: false, closedEarly: null, anomalies: 0 };
  const s = new FireworksStream(url, { headers });
  await s.opened;
  await sleep(startDelayMs);
  if (s.errors.length) {
    tally.refused = s.errors.some((e) => /try again later/.test(e));
    tally.errors.push(...s.errors);
    return tally;
  }
  const frames = Math.ceil(pcm.length / FRAME_BYTES);
  while (performance.now() < until) {
    const firstId = s.segments.size ? Math.max(...s.segments.keys()) + 1 : 0;
    const sentAt = [];
    const measured = new Set();
    let ending = false;
    const watch = (data) => {
      if (ending || !data.segments) return false;
      const at = performance.now();
      let newest = -Infinity;
      for (const seg of data.segments) {
        if (Number(seg.id) < firstId || !seg.words?.length) continue;
        newest = Math.max(newest, seg.words.at(-1).end - FRAME_S);
      }
      if (newest === -Infinity) return false;
      const k = chunkOf(newest);
      if (measured.has(k)) return false;
      measured.add(k);
      const j = frameCompleting(k);
      if (j >= frames) return false;   // a chunk of the tail padding: decoded at the end of the stream
      if (sentAt[j] === undefined) tally.anomalies++;   // words before the audio that carries them: the geometry is wrong
      else latencies.push(at - sentAt[j]);
      return false;
    };
    s.waiters.push(watch);
    await s.sendPcm(pcm, { pace: 1, onFrame: (i, t) => { sentAt[i] = t; } });
    ending = true;
    s.waiters = s.waiters.filter((w) => w !== watch);
    try {
      await s.end("checkpoint", 120_000);
    } catch (e) {
      tally.errors.push(e.message);
      break;
    }
    const text = [...s.segments.keys()].filter((id) => id >= firstId).sort((a, b) => a - b)
      .map((id) => s.segments.get(id).text.trim()).filter(Boolean).join(" ");
    tally.rounds++;
    if (text !== reference) tally.wrongTexts.push(text);
    if (s.errors.length) {
      tally.errors.push(...s.errors);
      break;
    }
  }
  s.ws.close(1000);
  const closed = await Promise.race([s.closed, sleep(5_000).then(() => null)]);
  if (closed && closed.code !== 1000 && closed.code !== 1005) tally.closedEarly = closed;
  return tally;
}

/** N streams for `seconds`; returns the level's numbers. */
async function runLevel(server, n, seconds, pcm, reference, onSample) {
  const url = `${server.base.replace(/^http/, "ws")}/v1/audio/transcriptions/streaming?language=en`;
  const headers = args.key ? { Authorization: args.key } : {};
  const before = await scrapeMetrics(server.base);
  const cpuBefore = server.pid ? cpuSeconds(server.pid) : NaN;
  const latencies = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  const sampler = onSample ? setInterval(onSample, 5_000) : null;
  const tallies = await Promise.all(Array.from({ length: n }, () =>
    runStream(url, headers, pcm, reference, until, Math.random() * 1000, latencies).catch((e) => ({ errors: [e.message], rounds: 0, wrongTexts: [], anomalies: 0 }))));
  if (sampler) clearInterval(sampler);
  const wall = (performance.now() - started) / 1000;
  const after = await scrapeMetrics(server.base);
  latencies.sort((a, b) => a - b);
  return {
    streams: n,
    seconds: Math.round(wall),
    chunks: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
    server: histogramDelta(before.latency, after.latency),
    serverCpu: server.pid ? (cpuSeconds(server.pid) - cpuBefore) / wall : NaN,
    rounds: tallies.reduce((a, t) => a + t.rounds, 0),
    wrongTexts: tallies.flatMap((t) => t.wrongTexts),
    errors: tallies.flatMap((t) => t.errors ?? []),
    refused: tallies.filter((t) => t.refused).length,
    closedEarly: tallies.filter((t) => t.closedEarly).map((t) => t.closedEarly),
    anomalies: tallies.reduce((a, t) => a + t.anomalies, 0),
  };
}

/** p50/p95 of the server's histogram between two scrapes, as "≤ bucket bound" in ms. */
function histogramDelta(before, after) {
  const count = after.count - before.count;
  const bound = (p) => {
    const target = (p / 100) * count;
    for (let i = 0; i < after.buckets.length; i++) {
      if (after.buckets[i][1] - before.buckets[i][1] >= target) return after.buckets[i][0] * 1000;
    }
    return Infinity;
  };
  return { count, mean: count ? ((after.sum - before.sum) / count) * 1000 : NaN, p50: bound(50), p95: bound(95) };
}

// ---------------------------------------------------------------------------------------------

const fmt = (ms) => (Number.isFinite(ms) ? ms.toFixed(0).padStart(6) : "     -");

async function main() {
  const wav = readWav(args.file);
  if (wav.rate !== 16000 || wav.channels !== 1) throw new Error(`${args.file}: the Fireworks protocol carries 16 kHz mono; this is ${wav.rate} Hz, ${wav.channels} channels`);
  if (args.url && new URL(args.url).hostname !== "127.0.0.1") throw new Error("live-load.mjs only targets 127.0.0.1");
  const server = args.url ? { base: args.url.replace(/\/$/, ""), pid: args.pid ? Number(args.pid) : null, stop: () => {} } : await startServer();
  const results = { file: args.file, batching: !args["no-batching"], cores: os.availableParallelism(), loadavg: os.loadavg(), levels: [] };
  try {
    const form = new FormData();
    form.append("file", new Blob([readFileSync(args.file)]), path.basename(args.file));
    form.append("model", "whisper-1");
    const answer = await fetch(`${server.base}/v1/audio/transcriptions`, {
      method: "POST", body: form, headers: args.key ? { Authorization: `Bearer ${args.key}` } : {},
    });
    const reference = (await answer.json()).text;
    console.log(`${server.base} (pid ${server.pid ?? "?"}), ${path.basename(args.file)} ${wav.seconds.toFixed(1)} s, batching ${results.batching ? "on" : "off"}, ` +
      `${results.cores} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    console.log(`reference text: ${reference}`);

    if (args.soak) {
      await soak(server, wav.pcm, reference, results);
    } else {
      console.log("streams  seconds  chunks  p50 ms  p95 ms  p99 ms  max ms | server p50≤ p95≤ mean | server CPU | rounds wrong errors refused");
      for (const n of args.levels.split(",").map(Number)) {
        const r = await runLevel(server, n, Number(args.seconds), wav.pcm, reference);
        results.levels.push(r);
        console.log(`${String(n).padStart(7)}  ${String(r.seconds).padStart(7)}  ${String(r.chunks).padStart(6)}  ${fmt(r.p50)}  ${fmt(r.p95)}  ${fmt(r.p99)}  ${fmt(r.max)} | ` +
          `${fmt(r.server.p50)} ${fmt(r.server.p95)} ${fmt(r.server.mean)} | ${(r.serverCpu * 100).toFixed(0).padStart(8)} % | ` +
          `${String(r.rounds).padStart(6)} ${String(r.wrongTexts.length).padStart(5)} ${String(r.errors.length).padStart(6)} ${String(r.refused).padStart(7)}` +
          (r.anomalies ? `  (${r.anomalies} messages before their audio!)` : ""));
        for (const e of [...new Set(r.errors)].slice(0, 3)) console.log(`         error: ${e}`);
        for (const w of r.wrongTexts.slice(0, 2)) console.log(`         wrong text: ${w}`);
        await sleep(2_000);   // let the server drain before the next level
      }
      const holds = (r) => r.p95 < CHUNK_S * 1000 && !r.errors.length && !r.wrongTexts.length && !r.refused;
      const held = results.levels.filter(holds).map((r) => r.streams);
      const missed = results.levels.filter((r) => !holds(r)).map((r) => r.streams);
      console.log(`held in real time (p95 < ${CHUNK_S * 1000} ms, no error, every text right): ${held.join(", ") || "none"}` +
        (missed.length ? `; not held: ${missed.join(", ")}` : "") + (held.length ? `; largest held: ${Math.max(...held)}` : ""));
    }
  } finally {
    server.stop();
    if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2));
  }
}

/**
 * Soak: `--streams` streams for `--seconds`, RSS of the server sampled every 5 s. Passes when there
 * was no error, no refused or broken connection, every round's text was right (no lost audio), and
 * the RSS after `--warmup` seconds stays within 10 % (max over min).
 */
async function soak(server, pcm, reference, results) {
  if (!server.pid) throw new Error("--soak needs the server's pid (it starts its own server unless --url is given; then pass --pid)");
  const n = Number(args.streams);
  const seconds = Number(args.seconds);
  const warmup = Number(args.warmup);
  const samples = [];
  const t0 = performance.now();
  const sample = () => {
    const s = { t: (performance.now() - t0) / 1000, rssKb: rssKb(server.pid) };
    samples.push(s);
    if (samples.length % 12 === 0) console.log(`  ${s.t.toFixed(0).padStart(5)} s  RSS ${(s.rssKb / 1024).toFixed(0)} MB`);
  };
  sample();
  console.log(`soak: ${n} streams for ${seconds} s, RSS every 5 s (shown every minute), warm-up ${warmup} s`);
  const r = await runLevel(server, n, seconds, pcm, reference, sample);
  sample();
  const steady = samples.filter((s) => s.t >= warmup).map((s) => s.rssKb);
  const growth = steady.length ? Math.max(...steady) / Math.min(...steady) - 1 : NaN;
  results.soak = { ...r, rss: samples, rssGrowthAfterWarmup: growth };
  const ok = !r.errors.length && !r.wrongTexts.length && !r.refused && !r.closedEarly.length && growth <= 0.10;
  console.log(`soak: ${r.rounds} rounds (${(r.rounds * pcm.length / 32000 / 60).toFixed(0)} min of audio), ${r.wrongTexts.length} wrong texts, ` +
    `${r.errors.length} errors, ${r.refused} refused, ${r.closedEarly.length} closed early; latency p50 ${fmt(r.p50).trim()} ms, p95 ${fmt(r.p95).trim()} ms, max ${fmt(r.max).trim()} ms`);
  console.log(`soak: RSS after warm-up ${(Math.min(...steady) / 1024).toFixed(0)}–${(Math.max(...steady) / 1024).toFixed(0)} MB ` +
    `(${(growth * 100).toFixed(1)} % spread, limit 10 %): ${ok ? "PASS" : "FAIL"}`);
  for (const e of [...new Set(r.errors)].slice(0, 5)) console.log(`  error: ${e}`);
  for (const w of r.wrongTexts.slice(0, 3)) console.log(`  wrong text: ${w}`);
  if (!ok) process.exitCode = 1;
}

await main();
