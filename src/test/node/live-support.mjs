// What the live (WebSocket) tests and the live load harness share: reading 16-bit WAV files into raw
// PCM, a Fireworks streaming client built on the `ws` package exactly as Fireworks' cookbook uses it
// (binary s16le 16 kHz frames of 50 ms, JSON text frames to end the stream, the rolling `segments`
// window kept by id), and reading /metrics. Nothing here needs the test environment variables.

import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import WebSocket from "ws";

/** 50 ms of 16 kHz 16-bit mono PCM: the frame size of Fireworks' cookbook. */
export const FRAME_BYTES = 1600;
export const FRAME_MS = 50;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The PCM of a 16-bit WAV file: {rate, channels, pcm (Buffer of s16le samples), seconds}.
 * Anything but 16-bit integer PCM is refused (the live protocols carry nothing else).
 */
export function readWav(path) {
  const bytes = readFileSync(path);
  if (bytes.toString("ascii", 0, 4) !== "RIFF" || bytes.toString("ascii", 8, 12) !== "WAVE") throw new Error(`${path}: not a WAV file`);
  let format;
  for (let offset = 12; offset + 8 <= bytes.length;) {
    const id = bytes.toString("ascii", offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = bytes.subarray(offset + 8, offset + 8 + size);
    if (id === "fmt ") {
      format = { tag: body.readUInt16LE(0), channels: body.readUInt16LE(2), rate: body.readUInt32LE(4), bits: body.readUInt16LE(14) };
    } else if (id === "data") {
      if (!format || format.tag !== 1 || format.bits !== 16) throw new Error(`${path}: not 16-bit PCM (${JSON.stringify(format)})`);
      const pcm = Buffer.from(body.subarray(0, body.length - (body.length % 2)));
      return { rate: format.rate, channels: format.channels, pcm, seconds: pcm.length / 2 / format.channels / format.rate };
    }
    offset += 8 + size + (size & 1);
  }
  throw new Error(`${path}: no data chunk`);
}

/** Splits a buffer into frames of `size` bytes (the last one shorter). */
export function frames(pcm, size = FRAME_BYTES) {
  const out = [];
  for (let i = 0; i < pcm.length; i += size) out.push(pcm.subarray(i, i + size));
  return out;
}

/**
 * One Fireworks streaming connection (`/v1/audio/transcriptions/streaming`) driven like the cookbook
 * and LiveKit's plugin: `state[id] = segment` is overwritten by every message, so the transcript is
 * the segments in id order. Every message is kept with its arrival time (performance.now()).
 */
export class FireworksStream {
  /**
   * @param url ws:// or wss:// URL of the endpoint, with its query (model, language, ...)
   * @param options `ws` client options (headers, ca, ...)
   */
  constructor(url, options = {}) {
    this.messages = [];          // {at, data} for every JSON message, in arrival order
    this.errors = [];            // the `error` texts received
    this.segments = new Map();   // id → latest {id, text, words}
    this.closed = new Promise((resolve) => {
      this.ws = new WebSocket(url, { perMessageDeflate: false, ...options });
      this.ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", resolve);
      this.ws.once("error", reject);
      this.ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
    this.ws.on("error", () => {});   // after open, failures show up as the close code
    this.waiters = [];
    this.ws.on("message", (raw, isBinary) => {
      const at = performance.now();
      let data;
      try {
        data = isBinary ? { unexpected: "a binary frame" } : JSON.parse(raw.toString());
      } catch {
        data = { unexpected: `a text frame that is not JSON: ${raw.toString().slice(0, 80)}` };
      }
      this.messages.push({ at, data });
      if (typeof data.error === "string") this.errors.push(data.error);
      for (const s of data.segments ?? []) this.segments.set(Number(s.id), s);
      this.waiters = this.waiters.filter((w) => !w(data));
    });
  }

  /** Resolves with the first message (from now on) that `predicate` accepts; rejects after `ms`. */
  next(predicate, ms = 30_000, what = "a message") {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
      timer.unref();   // a wait nobody needs any more does not keep the process alive
      this.waiters.push((data) => {
        if (!predicate(data)) return false;
        clearTimeout(timer);
        resolve(data);
        return true;
      });
    });
  }

  /** Sends one binary frame; resolves once `ws` has handed it to the socket. */
  sendFrame(frame) {
    return new Promise((resolve, reject) => this.ws.send(frame, { binary: true }, (e) => (e ? reject(e) : resolve())));
  }

  /**
   * Sends `pcm` in 50 ms frames. `pace` 1 keeps real time (each frame at its due time on a
   * monotonic clock, so delays never accumulate), 4 sends four times faster, 0 sends at once.
   * `onFrame(index, sentAt)` sees each frame's send time. Returns the send times.
   */
  async sendPcm(pcm, { pace = 0, onFrame } = {}) {
    const list = frames(pcm);
    const sentAt = [];
    const start = performance.now();
    for (let i = 0; i < list.length; i++) {
      if (pace > 0) {
        const due = start + (i * FRAME_MS) / pace;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      await this.sendFrame(list[i]);
      sentAt.push(performance.now());
      onFrame?.(i, sentAt[i]);
    }
    return sentAt;
  }

  sendJson(event) {
    this.ws.send(JSON.stringify(event));
  }

  /**
   * Ends the stream the way the cookbook's notebook and Node.js sample do ({"checkpoint_id":"final"},
   * answered by the final segments and the echo) or the way its Python sample does
   * ({"event_id":"streaming_complete","object":"stt.input.trace","trace_id":"final"}, answered by
   * {"object":"stt.output.trace","trace_id":"final"}). Resolves with the echo.
   */
  end(form = "checkpoint", ms = 30_000) {
    if (form === "checkpoint") {
      const echo = this.next((m) => m.checkpoint_id === "final", ms, '{"checkpoint_id":"final"} echo');
      this.sendJson({ checkpoint_id: "final" });
      return echo;
    }
    const echo = this.next((m) => m.object === "stt.output.trace" && m.trace_id === "final", ms, "stt.output.trace echo");
    this.sendJson({ event_id: "streaming_complete", object: "stt.input.trace", trace_id: "final" });
    return echo;
  }

  /** The transcript as a Fireworks client shows it: the latest text of every segment, in id order. */
  text() {
    return [...this.segments.keys()].sort((a, b) => a - b).map((id) => this.segments.get(id).text.trim()).filter(Boolean).join(" ");
  }

  /** Whether every word of every segment received is final (`is_final: true`). */
  allFinal() {
    return [...this.segments.values()].every((s) => (s.words ?? []).every((w) => w.is_final === true));
  }

  close(code = 1000) {
    this.ws.close(code);
    return this.closed;
  }

  /** Drops the TCP connection without a close frame: a client that vanished. */
  vanish() {
    this.ws._socket?.destroy();
    return this.closed;
  }
}

/** GET `url` (http or https; `ca` trusts a self-signed certificate) → the body as text. */
export function getText(url, { ca } = {}) {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    client.get(url, { ca }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url}: HTTP ${res.statusCode}`))));
    }).on("error", reject);
  });
}

/** The live metrics of a sotto server: {liveStreams, latency: {count, sum, buckets: [[le, cumulative count]]}}. */
export async function scrapeMetrics(base, { ca } = {}) {
  const text = await getText(`${base}/metrics`, { ca });
  const value = (name) => {
    const line = text.split("\n").find((l) => l.startsWith(name + " ") || l.startsWith(name + "{"));
    return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : NaN;
  };
  const buckets = [];
  for (const line of text.split("\n")) {
    const m = /^sotto_stream_chunk_latency_seconds_bucket\{le="([^"]+)"\} (\S+)/.exec(line);
    if (m) buckets.push([m[1] === "+Inf" ? Infinity : Number(m[1]), Number(m[2])]);
  }
  return {
    liveStreams: value("sotto_live_streams"),
    latency: {
      count: value("sotto_stream_chunk_latency_seconds_count"),
      sum: value("sotto_stream_chunk_latency_seconds_sum"),
      buckets,
    },
  };
}
