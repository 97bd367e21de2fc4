// Live streaming on `sotto serve`, driven by real clients, unchanged:
//  - Fireworks' streaming protocol with the `ws` package, as Fireworks' cookbook and LiveKit's plugin
//    use it (binary s16le 16 kHz 50 ms frames, both end-of-stream forms, the rolling `segments` window);
//  - OpenAI realtime transcription with the official `openai` package's OpenAIRealtimeWS
//    (`openai/realtime/ws`), which always connects with wss://: it talks to the TLS server and trusts
//    the test's self-signed certificate through its `options.ca` (handed to `ws`);
//  - fal's streaming endpoint with the official `@fal-ai/client`'s `fal.stream`.
// Every final text must equal what `sotto transcribe` printed for the same file (EXPECTED_JSON).
//
// Environment (LiveClientsTest.java sets all of it), on top of support.mjs's:
//   SOTTO_URL        plain http server, started with --api-key SOTTO_KEY, --allow-private-urls and
//                    --max-streams SOTTO_MAX_STREAMS
//   SOTTO_TLS_URL    https server (--tls-cert/--tls-key), same key
//   SOTTO_TLS_CA     the PEM certificate of SOTTO_TLS_URL (self-signed, made by the test)
//   GENERATED_DIR    where the test wrote jfk-cut.wav: jfk.wav cut at 10.3 s, in the middle of the
//                    last word, so its final words lie in the last, incomplete chunk

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import OpenAI from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { createFalClient } from "@fal-ai/client";
import { SOTTO_KEY, SOTTO_URL, cli, sharedFile, sleep, startFileServer, within } from "./support.mjs";
import { FireworksStream, frames, readWav, scrapeMetrics } from "./live-support.mjs";

const SOTTO_TLS_URL = process.env.SOTTO_TLS_URL.replace(/\/$/, "");
const MAX_STREAMS = Number(process.env.SOTTO_MAX_STREAMS);
const TLS_CA = readFileSync(process.env.SOTTO_TLS_CA);

// The files (16 kHz mono 16-bit WAV unless said otherwise) and their CLI transcripts.
const JFK = "audio/en/jfk.wav";                                       // 11.0 s, two segments, silence at the end
const LEOPARD = "audio/en/leopard-test-en.wav";                       // 5.9 s, one segment
const LIBRI0 = "audio/en/librispeech-gigaspeech-test-0.wav";          // 6.6 s
const LIBRI1 = "audio/en/librispeech-gigaspeech-test-1.wav";          // 16.7 s
const THREE = "audio/special/three-speakers.wav";                     // 19.8 s, three segments
const SILENCE = "audio/special/silence.wav";                          // 8.2 s, no speech
const LJ = "audio/en/ljspeech/LJ001-0002.wav";                        // 1.9 s at 22 050 Hz
const CUT = "generated/jfk-cut.wav";                                  // speech up to the last sample

const path = (rel) => (rel.startsWith("generated/") ? join(process.env.GENERATED_DIR, rel.slice("generated/".length)) : sharedFile(rel));
const pcm = (rel) => readWav(path(rel)).pcm;
const expected = (rel) => cli(rel).text;

// ---------------------------------------------------------------------------------------------
// Fireworks

const wsBase = (base) => base.replace(/^http/, "ws");
const FIREWORKS_PATH = "/v1/audio/transcriptions/streaming";

/** A Fireworks connection with the key as the cookbook sends it: the raw key in `Authorization`. */
function fireworks({ base = SOTTO_URL, query = "language=en", key = SOTTO_KEY, options = {} } = {}) {
  const headers = key ? { Authorization: key } : {};
  return new FireworksStream(`${wsBase(base)}${FIREWORKS_PATH}?${query}`, { headers, ...options });
}

/** Sends a whole file and ends the stream; resolves with the stream once the end is echoed. */
async function transcribeFireworks(rel, { pace = 0, form = "checkpoint", ...connect } = {}) {
  const s = fireworks(connect);
  await s.opened;
  const sentAt = await s.sendPcm(pcm(rel), { pace });
  await s.end(form);
  await s.close();
  return { stream: s, sentAt };
}

// ---------------------------------------------------------------------------------------------
// OpenAI realtime

/**
 * An OpenAIRealtimeWS transcription session on the TLS server. Every server event is kept with its
 * arrival time; `next(type)` waits for the next event of a type; `errors` collects the `error`
 * events the client reports (it raises them through its own `error` listener).
 */
class Realtime {
  constructor({ key = SOTTO_KEY } = {}) {
    const client = new OpenAI({ apiKey: key || "sk-no-key", baseURL: `${SOTTO_TLS_URL}/v1` });
    this.rt = new OpenAIRealtimeWS({ intent: "transcription", options: { ca: TLS_CA } }, client);
    this.events = [];
    this.errors = [];
    this.waiters = [];
    this.rt.on("event", (event) => {
      this.events.push({ at: performance.now(), event });
      this.waiters = this.waiters.filter((w) => !w(event));
    });
    this.rt.on("error", (error) => this.errors.push(error));
    this.opened = new Promise((resolve, reject) => {
      this.rt.socket.once("open", resolve);
      this.rt.socket.once("error", reject);
    });
    this.opened.catch(() => {});   // a refused connection is reported through `errors` and `closed` too
    this.closed = new Promise((resolve) => this.rt.socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
  }

  /** The next event (from now on) of `type` that `predicate` accepts. */
  next(type, predicate = () => true, ms = 30_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
      timer.unref();   // a wait nobody needs any more does not keep the process alive
      this.waiters.push((event) => {
        if (event.type !== type || !predicate(event)) return false;
        clearTimeout(timer);
        resolve(event);
        return true;
      });
    });
  }

  /** The first event of `type`, received already or still to come. */
  first(type, ms = 30_000) {
    const seen = this.of(type)[0];
    return seen ? Promise.resolve(seen) : this.next(type, () => true, ms);
  }

  /** The events of `type` received so far (after event index `from`). */
  of(type, from = 0) {
    return this.events.slice(from).map((e) => e.event).filter((e) => e.type === type);
  }

  send(event) {
    this.rt.send(event);
  }

  /** Sets the input format to pcm16 at `rate` (GA session shape) and the turn detection; resolves with session.updated. */
  async configure({ rate = 16000, turnDetection = { type: "server_vad" } } = {}) {
    const updated = this.next("session.updated");
    this.send({ type: "session.update", session: { type: "transcription", audio: { input: { format: { type: "audio/pcm", rate }, turn_detection: turnDetection } } } });
    return updated;
  }

  /** input_audio_buffer.append in 100 ms pieces of base64 pcm16; `pace` 1 is real time, 0 at once. Returns the send times. */
  async append(bytes, { rate = 16000, pace = 0 } = {}) {
    const piece = (rate / 10) * 2;
    const start = performance.now();
    const sentAt = [];
    const list = frames(bytes, piece);
    for (let i = 0; i < list.length; i++) {
      if (pace > 0) {
        const wait = start + (i * 100) / pace - performance.now();
        if (wait > 0) await sleep(wait);
      }
      this.send({ type: "input_audio_buffer.append", audio: list[i].toString("base64") });
      sentAt.push(performance.now());
    }
    return sentAt;
  }

  /**
   * input_audio_buffer.commit, then waits until everything it causes has been sent: a clear sent
   * right after it is answered (`cleared`) only once the commit is, as the session's events are
   * answered in order. Resolves with the commit's error event if it was refused (empty buffer).
   */
  async commitAndSettle() {
    const from = this.events.length;
    const cleared = this.next("input_audio_buffer.cleared");
    this.send({ type: "input_audio_buffer.commit", event_id: "evt_commit" });
    this.send({ type: "input_audio_buffer.clear" });
    await cleared;
    return this.of("error", from).find((e) => e.error?.event_id === "evt_commit");
  }

  close() {
    this.rt.close();
    return this.closed;
  }
}

/** Checks each completed item: its deltas, joined, are its transcript. Returns the transcripts in order. */
function completedItems(session, from = 0) {
  const completed = session.of("conversation.item.input_audio_transcription.completed", from);
  const deltas = session.of("conversation.item.input_audio_transcription.delta", from);
  for (const item of completed) {
    const text = deltas.filter((d) => d.item_id === item.item_id).map((d) => d.delta).join("");
    assert.equal(text, item.transcript, `the deltas of ${item.item_id} add up to its transcript`);
  }
  return completed.map((c) => c.transcript);
}

// ---------------------------------------------------------------------------------------------

describe("in real time: partial results before the audio ends, final text = the CLI's", { concurrency: true }, () => {
  for (const form of ["checkpoint", "trace"]) {
    const ending = form === "checkpoint" ? '{"checkpoint_id":"final"}' : '{"object":"stt.input.trace","trace_id":"final"}';
    test(`Fireworks with ws: ${JFK} in 50 ms frames paced in real time, ended with ${ending}`, async (t) => {
      const { stream, sentAt } = await within(40_000, transcribeFireworks(JFK, { pace: 1, form }), "paced Fireworks stream");
      const lastFrame = sentAt.at(-1);
      const early = stream.messages.filter((m) => m.data.segments && m.at < lastFrame);
      t.diagnostic(`${early.length} of ${stream.messages.length} messages arrived before the last frame was sent; ` +
        `first partial ${(early[0]?.at - sentAt[0]).toFixed(0)} ms after the first frame`);
      assert.ok(early.length >= 5, `partial results arrive while the audio is still being sent (got ${early.length})`);
      assert.ok(early.some((m) => m.data.segments.some((s) => s.words.some((w) => w.is_final === false))), "early results are partial (is_final: false)");
      assert.deepEqual(stream.errors, []);
      assert.equal(stream.text(), expected(JFK));
      assert.ok(stream.allFinal(), `after the end of the stream every word is final: ${JSON.stringify([...stream.segments.values()])}`);
      const last = stream.messages.at(-1).data;
      assert.ok(form === "checkpoint" ? last.checkpoint_id === "final" : last.trace_id === "final", "the echo is the last message");
    });
  }

  test(`OpenAI realtime (OpenAIRealtimeWS over wss, server VAD): ${JFK} appended in real time`, async (t) => {
    const session = new Realtime();
    await session.opened;
    await session.first("session.created");
    assert.equal(session.events[0].event.type, "session.created", "session.created is the first event");
    const updated = await session.configure({ rate: 16000 });
    assert.deepEqual(updated.session.audio.input.format, { type: "audio/pcm", rate: 16000 });
    const sentAt = await session.append(pcm(JFK), { pace: 1 });
    const lastAppend = sentAt.at(-1);
    const refused = await session.commitAndSettle();
    await session.close();

    const firstDelta = session.events.find((e) => e.event.type === "conversation.item.input_audio_transcription.delta");
    t.diagnostic(`first delta ${(firstDelta.at - sentAt[0]).toFixed(0)} ms after the first append; audio ended at ${(lastAppend - sentAt[0]).toFixed(0)} ms`);
    assert.ok(firstDelta.at < lastAppend, "deltas arrive while audio is still being appended");
    assert.deepEqual(session.errors.map((e) => e.message), []);
    const items = completedItems(session);
    const spoken = items.filter(Boolean);
    t.diagnostic(`items: ${JSON.stringify(items)}${refused ? `; the final commit: ${refused.error.code}` : ""}`);
    assert.ok(spoken.length >= 2, `server VAD completes one item per turn: ${JSON.stringify(items)}`);
    assert.equal(spoken.join(" "), expected(JFK));
    assert.equal(session.of("input_audio_buffer.committed").length, items.length, "one committed per item");
    for (const type of ["input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped"]) {
      assert.ok(session.of(type).length >= spoken.length - 1, `${type} for the turns the VAD closed`);
    }
    for (const c of session.of("conversation.item.input_audio_transcription.completed")) {
      assert.ok(c.usage && typeof c.usage === "object", `completed carries usage (required by the SDK's type): ${JSON.stringify(c)}`);
    }
  });
});

describe("Fireworks streaming protocol (ws package)", () => {
  for (const form of ["checkpoint", "trace"]) {
    test(`speech up to the last sample (${CUT}), ended with the ${form} form: the last words are decoded and final`, async () => {
      const { stream } = await transcribeFireworks(CUT, { form });
      assert.equal(stream.text(), expected(CUT));
      assert.ok(stream.allFinal(), "every word is final after the end of the stream");
    });
  }

  test("8 concurrent streams (different files, 4x real time) each give exactly the CLI's text", async () => {
    const files = [JFK, LEOPARD, LIBRI0, LIBRI1, THREE, SILENCE, CUT, JFK];
    const streams = files.map(() => fireworks());
    await Promise.all(streams.map((s) => s.opened));   // all admitted before any audio flows
    await within(60_000, Promise.all(streams.map(async (s, i) => {
      await s.sendPcm(pcm(files[i]), { pace: 4 });
      await s.end("checkpoint");
      await s.close();
    })), "8 concurrent streams");
    streams.forEach((s, i) => {
      assert.deepEqual(s.errors, [], files[i]);
      assert.equal(s.text(), expected(files[i]), `stream ${i}: ${files[i]}`);
    });
  });

  test("over wss:// on the TLS server, trusting its certificate", async () => {
    const { stream } = await transcribeFireworks(LEOPARD, { base: SOTTO_TLS_URL, options: { ca: TLS_CA } });
    assert.equal(stream.text(), expected(LEOPARD));
  });

  test("the key: raw or Bearer in Authorization, or the Authorization / api_key query parameter; a wrong one is a 401", async () => {
    const ways = [
      { key: `Bearer ${SOTTO_KEY}` },
      { key: "", query: `language=en&Authorization=${encodeURIComponent(SOTTO_KEY)}` },
      { key: "", query: `language=en&api_key=${encodeURIComponent(SOTTO_KEY)}` },
    ];
    for (const way of ways) {
      const s = fireworks(way);
      await s.opened;
      const echo = s.next((m) => m.object === "stt.output.trace", 10_000, "trace echo");
      s.sendJson({ object: "stt.input.trace", trace_id: "auth" });
      assert.equal((await echo).trace_id, "auth", JSON.stringify(way));
      await s.close();
    }
    await assert.rejects(fireworks({ key: SOTTO_KEY + "-wrong" }).opened, /401/);
    await assert.rejects(fireworks({ key: "" }).opened, /401/);
  });

  test("beyond --max-streams a connection gets an error and close code 1013 (try again later); after a close there is room again", async () => {
    const open = [];
    for (let i = 0; i < MAX_STREAMS; i++) open.push(fireworks());
    await Promise.all(open.map((s) => s.opened));
    await sleep(200);   // a refusal comes right after the upgrade
    assert.deepEqual(open.flatMap((s) => s.errors), [], `${MAX_STREAMS} streams are admitted`);
    const extra = fireworks();
    await extra.opened;
    const refused = await within(5_000, extra.closed, "the refused connection's close");
    assert.equal(refused.code, 1013);
    assert.match(extra.errors[0] ?? "", /max-streams|try again/, "an error message says why");
    await open.pop().close();
    await sleep(200);
    const { stream } = await transcribeFireworks(LEOPARD);
    assert.equal(stream.text(), expected(LEOPARD));
    await Promise.all(open.map((s) => s.close()));
  });

  test("an stt.input.trace is echoed once the audio before it is decoded; the session goes on", async () => {
    const s = fireworks();
    await s.opened;
    await s.sendPcm(pcm(LEOPARD));
    const echo = s.next((m) => m.object === "stt.output.trace", 30_000, "trace echo");
    s.sendJson({ object: "stt.input.trace", trace_id: "t-1" });
    assert.deepEqual(await echo, { object: "stt.output.trace", trace_id: "t-1" });
    assert.ok(s.text().length > 0, "the words decoded before the trace were sent before its echo");
    await s.end("checkpoint");
    await s.close();
    assert.equal(s.text(), expected(LEOPARD));
  });

  test("after {checkpoint_id: final} the connection takes a new stream with the next ids", async () => {
    const s = fireworks();
    await s.opened;
    await s.sendPcm(pcm(JFK));
    await s.end("checkpoint");
    const firstIds = [...s.segments.keys()];
    await s.sendPcm(pcm(LEOPARD));
    await s.end("checkpoint");
    await s.close();
    const laterIds = [...s.segments.keys()].filter((id) => !firstIds.includes(id));
    assert.ok(Math.min(...laterIds) > Math.max(...firstIds), `ids keep counting: ${firstIds} then ${laterIds}`);
    assert.equal(laterIds.map((id) => s.segments.get(id).text).join(" "), expected(LEOPARD));
    assert.equal(s.text(), `${expected(JFK)} ${expected(LEOPARD)}`);
  });

  test("audio sent right after {checkpoint_id: final}, before its echo, belongs to the next stream: nothing is lost", async () => {
    const s = fireworks();
    await s.opened;
    await s.sendPcm(pcm(JFK));
    const first = s.end("checkpoint");
    await s.sendPcm(pcm(LEOPARD));
    await first;
    await s.end("checkpoint");
    await s.close();
    assert.deepEqual(s.errors, []);
    assert.equal(s.text(), `${expected(JFK)} ${expected(LEOPARD)}`);
  });

  test("stt.state.clear while the previous audio is being decoded: the segments after it are the new audio's only", async () => {
    const s = fireworks();
    await s.opened;
    await s.sendPcm(pcm(JFK));
    s.sendJson({ object: "stt.state.clear" });
    await s.sendPcm(pcm(LEOPARD));
    await s.end("checkpoint");
    await s.close();
    assert.deepEqual(s.errors, []);
    const text = s.text();
    assert.ok(text.endsWith(expected(LEOPARD)), `the new context's text comes last: ${text}`);
    const before = text.slice(0, text.length - expected(LEOPARD).length).trim();
    assert.ok(expected(JFK).startsWith(before), `what is left of the old context is a prefix of its text: '${before}'`);
  });
});

describe("OpenAI realtime transcription (OpenAIRealtimeWS over wss)", () => {
  test("turn_detection null (beta transcription_session.update): deltas, then one item at commit with the CLI's text", async () => {
    const session = new Realtime();
    await session.opened;
    const updated = session.next("transcription_session.updated");
    session.send({ type: "transcription_session.update", session: { input_audio_format: "pcm16", turn_detection: null } });
    assert.equal((await updated).session.audio.input.turn_detection, null);
    // pcm16 in the beta shape is 24 kHz: say 16 kHz in the GA shape, keeping turn detection off.
    await session.configure({ rate: 16000, turnDetection: null });
    await session.append(pcm(CUT));
    const completed = session.next("conversation.item.input_audio_transcription.completed");
    session.send({ type: "input_audio_buffer.commit" });
    await completed;
    await session.close();
    assert.deepEqual(completedItems(session), [expected(CUT)]);
    assert.equal(session.of("input_audio_buffer.committed").length, 1);
    assert.equal(session.of("input_audio_buffer.speech_started").length, 0, "no VAD events without turn detection");
  });

  test("push to talk: audio appended right after a commit, before its answer, is the next item's", async () => {
    const session = new Realtime();
    await session.opened;
    await session.configure({ rate: 16000, turnDetection: null });
    await session.append(pcm(JFK));
    session.send({ type: "input_audio_buffer.commit" });
    await session.append(pcm(LEOPARD));
    await session.commitAndSettle();
    await session.close();
    assert.deepEqual(session.errors.map((e) => e.message), []);
    assert.deepEqual(completedItems(session), [expected(JFK), expected(LEOPARD)]);
  });

  test(`another rate: ${LJ} at its own 22 050 Hz (format.rate) gives the CLI's text`, async () => {
    const wav = readWav(path(LJ));
    assert.equal(wav.rate, 22050);
    const session = new Realtime();
    await session.opened;
    await session.configure({ rate: wav.rate, turnDetection: null });
    await session.append(wav.pcm, { rate: wav.rate });
    const completed = session.next("conversation.item.input_audio_transcription.completed");
    session.send({ type: "input_audio_buffer.commit" });
    assert.equal((await completed).transcript, expected(LJ));
    await session.close();
  });

  test("input_audio_buffer.clear while the audio is being decoded: cleared, and what follows is the new audio's only", async () => {
    const session = new Realtime();
    await session.opened;
    await session.configure({ rate: 16000 });
    await session.append(pcm(JFK));
    const cleared = session.next("input_audio_buffer.cleared");
    session.send({ type: "input_audio_buffer.clear" });
    await cleared;
    const from = session.events.length;
    await session.append(pcm(LEOPARD));
    await session.commitAndSettle();
    await session.close();
    assert.deepEqual(completedItems(session, from).filter(Boolean), [expected(LEOPARD)]);
  });

  test("the key as the browser client sends it (subprotocol openai-insecure-api-key.KEY: the server selects 'realtime'), or as api_key", async () => {
    for (const [url, protocols] of [
      [`${wsBase(SOTTO_TLS_URL)}/v1/realtime?intent=transcription`, ["realtime", `openai-insecure-api-key.${SOTTO_KEY}`]],
      [`${wsBase(SOTTO_TLS_URL)}/v1/realtime?intent=transcription&api_key=${encodeURIComponent(SOTTO_KEY)}`, []],
    ]) {
      const ws = new WebSocket(url, protocols, { ca: TLS_CA });
      const first = await within(10_000, new Promise((resolve, reject) => {
        ws.once("message", (m) => resolve(JSON.parse(m.toString())));
        ws.once("error", reject);
      }), url);
      assert.equal(first.type, "session.created");
      assert.equal(ws.protocol, protocols.length ? "realtime" : "");
      ws.close();
    }
  });

  test("a commit with nothing appended since the last one is an error (input_audio_buffer_commit_empty)", async () => {
    const session = new Realtime();
    await session.opened;
    await session.configure({ rate: 16000, turnDetection: null });
    const refused = await session.commitAndSettle();
    assert.equal(refused?.error.code, "input_audio_buffer_commit_empty", JSON.stringify(session.events.map((e) => e.event.type)));
    assert.equal(session.of("input_audio_buffer.committed").length, 0);
    await session.close();
  });

  test("a wrong key is refused at the upgrade (401), reported through the client's error listener", async () => {
    const session = new Realtime({ key: `${SOTTO_KEY}-wrong` });
    const closed = await within(10_000, session.closed, "refused connection");
    assert.ok(session.errors.some((e) => /401/.test(e.message)), `a 401 error: ${session.errors.map((e) => e.message)}`);
    assert.notEqual(closed.code, 1000);
  });
});

describe("fal.stream (official @fal-ai/client)", () => {
  let files;
  before(async () => {
    files = await startFileServer();
  });
  after(() => files.close());

  const viaMiddleware = () => createFalClient({
    credentials: SOTTO_KEY || undefined,
    requestMiddleware: async (req) => ({ ...req, url: req.url.replace("https://fal.run/", `${SOTTO_URL}/`) }),
  });
  const viaProxy = () => createFalClient({ credentials: SOTTO_KEY || undefined, proxyUrl: { url: `${SOTTO_URL}/fal/proxy`, when: "always" } });

  for (const [name, client] of [["requestMiddleware", viaMiddleware], ["proxyUrl", viaProxy]]) {
    test(`via ${name}: growing partial outputs, then {output: the CLI's text, partial: false}`, async (t) => {
      const fal = client();
      const stream = await fal.stream("fal-ai/nemotron/asr", { input: { audio_url: files.url(THREE) } });
      const events = [];
      await within(60_000, (async () => {
        for await (const event of stream) events.push(event);
      })(), "fal.stream events");
      const done = await stream.done();
      t.diagnostic(`${events.length} events`);
      const partials = events.filter((e) => e.partial === true);
      assert.ok(partials.length >= 3, `several partial results: ${JSON.stringify(events.slice(0, 3))}`);
      for (let i = 1; i < partials.length; i++) {
        assert.ok(partials[i].output.startsWith(partials[i - 1].output), `partial ${i} extends the one before`);
      }
      assert.deepEqual(events.at(-1), { output: expected(THREE), partial: false });
      assert.deepEqual(done, { output: expected(THREE), partial: false });
    });
  }
});

/** Live sessions open on both servers (sotto_live_streams). */
async function openSessions() {
  return (await scrapeMetrics(SOTTO_URL)).liveStreams + (await scrapeMetrics(SOTTO_TLS_URL, { ca: TLS_CA })).liveStreams;
}

/**
 * Waits (10 s at most) until at most `count` sessions are open; returns how many are. Vanished
 * clients are noticed by the server a moment later, and until then their undecoded audio counts
 * against admission (a session far behind real time makes the server refuse newcomers with 1013).
 */
async function sessionsDownTo(count) {
  let open;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(100)) {
    open = await openSessions();
    if (open <= count) break;
  }
  return open;
}

describe("bad input over both sockets, next to healthy streams", () => {
  test("each bad input gets an error message or a clean close; the healthy streams and the server are unaffected", async (t) => {
    const baseline = await openSessions();

    // Two healthy streams, one per protocol, in real time through the whole corpus.
    const healthyFireworks = (async () => {
      const s = fireworks();
      await s.opened;
      await s.sendPcm(pcm(JFK), { pace: 1 });
      await s.end("checkpoint");
      await s.close();
      return s;
    })();
    const healthyRealtime = (async () => {
      const session = new Realtime();
      await session.opened;
      await session.configure({ rate: 16000, turnDetection: null });
      await session.append(pcm(JFK), { pace: 1 });
      const completed = session.next("conversation.item.input_audio_transcription.completed");
      session.send({ type: "input_audio_buffer.commit" });
      await completed;
      await session.close();
      return session;
    })();

    await t.test("Fireworks: not JSON, unknown event, odd-length PCM → an error each; then the session still transcribes", async () => {
      const s = fireworks();
      await s.opened;
      const bad = [
        () => s.ws.send("this is not JSON"),
        () => s.sendJson({ object: "stt.unknown.event" }),
        () => s.sendJson({ hello: "world" }),
        () => s.ws.send(Buffer.alloc(1601), { binary: true }),
      ];
      for (const send of bad) {
        const error = s.next((m) => typeof m.error === "string", 5_000, "an error message");
        send();
        await error;
      }
      assert.equal(s.errors.length, bad.length, s.errors.join("\n"));
      assert.match(s.errors[3], /even/);
      await s.sendPcm(pcm(LEOPARD));
      await s.end("checkpoint");
      await s.close();
      assert.equal(s.text(), expected(LEOPARD));
    });

    await t.test("Fireworks: a 10 MB binary frame and a 10 MB text frame → closed (1009, message too big)", async () => {
      // The server sends 1009 and drops the connection while the client is still writing the frame:
      // the client then often sees the reset (1006) instead of the close frame, which TCP discarded.
      for (const frame of [Buffer.alloc(10 << 20), "x".repeat(10 << 20)]) {
        const s = fireworks();
        await s.opened;
        s.ws.send(frame);
        const closed = await within(10_000, s.closed, "close after a 10 MB frame");
        assert.ok([1009, 1006].includes(closed.code), `close code: ${JSON.stringify(closed)}`);
      }
    });

    await t.test("Fireworks: clients that vanish (mid-stream, and right after asking for the final result)", async () => {
      const midStream = fireworks();
      await midStream.opened;
      await midStream.sendPcm(pcm(JFK).subarray(0, 16000 * 2 * 4)).catch((e) => assert.fail(`${e.message}; server said ${JSON.stringify(midStream.messages)} and ${JSON.stringify(midStream.closedWith)}`));
      await midStream.vanish();
      // Until the server notices, the vanished session's undecoded audio counts against admission (1013).
      await sessionsDownTo(baseline + 2);
      const atTheEnd = fireworks();
      await atTheEnd.opened;
      await atTheEnd.sendPcm(pcm(JFK));
      atTheEnd.sendJson({ checkpoint_id: "final" });
      await atTheEnd.vanish();
      assert.ok(await sessionsDownTo(baseline + 2) <= baseline + 2, "the server let the vanished sessions go");
    });

    await t.test("Fireworks: a client that closes right after {checkpoint_id: final} gets a normal close", async () => {
      const s = fireworks();
      await s.opened;
      await s.sendPcm(pcm(JFK));
      s.sendJson({ checkpoint_id: "final" });
      const closed = await s.close(1000);
      assert.ok([1000, 1005].includes(closed.code), `a normal close, got ${JSON.stringify(closed)}`);
    });

    await t.test("realtime: not JSON, unknown type, base64 that is not base64, odd-length pcm16, binary frame, bad format → error events; then the session still transcribes", async () => {
      const session = new Realtime();
      await session.opened;
      await session.configure({ rate: 16000, turnDetection: null });
      const bad = [
        ["invalid_json", () => session.rt.socket.send("this is not JSON")],
        ["unknown type", () => session.send({ type: "response.create", event_id: "evt_client_1" })],
        ["not base64", () => session.send({ type: "input_audio_buffer.append", audio: "%%% not base64 %%%" })],
        ["odd length", () => session.send({ type: "input_audio_buffer.append", audio: Buffer.alloc(3).toString("base64") })],
        ["no audio", () => session.send({ type: "input_audio_buffer.append" })],
        ["binary", () => session.rt.socket.send(Buffer.alloc(3200))],
        ["bad format", () => session.send({ type: "session.update", session: { type: "transcription", audio: { input: { format: { type: "audio/ogg" } } } } })],
        ["10 MB of non-base64", () => session.send({ type: "input_audio_buffer.append", audio: "!".repeat(10 << 20) })],
      ];
      for (const [what, send] of bad) {
        const error = session.next("error", () => true, 10_000);
        send();
        const e = await error.catch((cause) => assert.fail(`${what}: ${cause.message}`));
        assert.equal(typeof e.error?.message, "string", what);
      }
      assert.equal(session.of("error")[1].error.event_id, "evt_client_1", "the error names the client's event");
      await session.append(pcm(LEOPARD));
      const completed = session.next("conversation.item.input_audio_transcription.completed");
      session.send({ type: "input_audio_buffer.commit" });
      assert.equal((await completed).transcript, expected(LEOPARD));
      await session.close();
    });

    await t.test("realtime: a 10 MB binary frame → closed (1009, or the reset that follows it) or an error event", async () => {
      const session = new Realtime();
      await session.opened;
      session.rt.socket.send(Buffer.alloc(10 << 20));
      const outcome = await within(10_000, Promise.race([session.closed, session.next("error")]), "answer to a 10 MB binary frame");
      if ("code" in outcome) assert.ok([1009, 1006].includes(outcome.code), `close code: ${JSON.stringify(outcome)}`);
      await session.close();
    });

    await t.test("realtime: clients that vanish (mid-stream, and right after commit); one that closes right after commit gets a normal close", async () => {
      const midStream = new Realtime();
      await midStream.opened;
      await midStream.append(pcm(JFK).subarray(0, 16000 * 2 * 4));
      midStream.rt.socket._socket.destroy();
      await midStream.closed;

      const atCommit = new Realtime();
      await atCommit.opened;
      await atCommit.configure({ rate: 16000, turnDetection: null });
      await atCommit.append(pcm(JFK));
      atCommit.send({ type: "input_audio_buffer.commit" });
      atCommit.rt.socket._socket.destroy();
      await atCommit.closed;

      const closing = new Realtime();
      await closing.opened;
      await closing.configure({ rate: 16000 });
      await closing.append(pcm(JFK));
      closing.send({ type: "input_audio_buffer.commit" });
      const closed = await closing.close();
      assert.ok([1000, 1005].includes(closed.code), `a normal close, got ${JSON.stringify(closed)}`);
      assert.ok(await sessionsDownTo(baseline + 2) <= baseline + 2, "the server let the vanished sessions go");
    });

    const [fw, rt] = await within(60_000, Promise.all([healthyFireworks, healthyRealtime]), "the healthy streams");
    assert.deepEqual(fw.errors, []);
    assert.equal(fw.text(), expected(JFK), "the healthy Fireworks stream");
    assert.deepEqual(rt.errors.map((e) => e.message), []);
    assert.deepEqual(completedItems(rt), [expected(JFK)], "the healthy realtime stream");

    // Every session the corpus opened is gone from the server's count.
    assert.equal(await sessionsDownTo(baseline), baseline, "sotto_live_streams is back where it was");

    // And the server still serves a new stream.
    const { stream } = await transcribeFireworks(LEOPARD);
    assert.equal(stream.text(), expected(LEOPARD));
  });
});
