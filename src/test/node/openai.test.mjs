// `sotto serve` driven by the official `openai` npm package, unchanged, pointed at baseURL {SOTTO_URL}/v1.
// Every transcript must equal what `sotto transcribe` printed for the same file (EXPECTED_JSON).

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI, { AuthenticationError, BadRequestError, NotFoundError } from "openai";
import { MODEL, SOTTO_KEY, SOTTO_URL, cli, sharedFile, squash } from "./support.mjs";

const JFK = "audio/en/jfk.wav";
const JFK_FLAC = "audio/en/jfk.flac";
// Three segments with the Zipformer (endpoints at pauses): enough for several stream deltas.
const LONG = "audio/special/three-speakers.wav";

const client = new OpenAI({ apiKey: SOTTO_KEY || "sk-no-key", baseURL: `${SOTTO_URL}/v1`, timeout: 60_000 });
const upload = (rel) => fs.createReadStream(sharedFile(rel));

/** Seconds as the CLI prints them (rounded to the millisecond) compared with the server's. */
function assertTime(actual, expected, what) {
  assert.equal(typeof actual, "number", `${what} is a number`);
  assert.ok(Math.abs(actual - expected) < 0.0011, `${what}: server ${actual}, CLI ${expected}`);
}

test("json (the default) is {text} equal to the CLI's text, under the model's own id", async () => {
  const result = await client.audio.transcriptions.create({ file: upload(JFK), model: MODEL });
  assert.equal(result.text, cli(JFK).text);
});

test("json under the alias whisper-1, and another container (FLAC, 44.1 kHz)", async () => {
  const wav = await client.audio.transcriptions.create({ file: upload(JFK), model: "whisper-1", response_format: "json" });
  assert.equal(wav.text, cli(JFK).text);
  const flac = await client.audio.transcriptions.create({ file: upload(JFK_FLAC), model: "whisper-1" });
  assert.equal(flac.text, cli(JFK_FLAC).text);
});

test("text is the bare transcript (a string)", async () => {
  const text = await client.audio.transcriptions.create({ file: upload(JFK), model: "whisper-1", response_format: "text" });
  assert.equal(typeof text, "string", "the client returns text/plain bodies as a string");
  assert.equal(text.replace(/\n$/, ""), cli(JFK).text);
});

test("diarized_json: one segment per speaker turn, speakers A, B, C (num_speakers=3), the CLI's words", async () => {
  const d = await client.audio.transcriptions.create({
    file: upload(LONG), model: "gpt-4o-transcribe-diarize", response_format: "diarized_json",
    chunking_strategy: "auto", num_speakers: 3,
  });
  assert.equal(d.task, "transcribe");
  assert.equal(d.text, cli(LONG).text);
  assertTime(d.duration, cli(LONG).duration, "duration");
  // The reference (leopard-test-data.json): words 1-4 speaker 1, 5-20 speaker 2, 21-35 speaker 3.
  const words = cli(LONG).words;
  const groups = [words.slice(0, 4), words.slice(4, 20), words.slice(20)];
  assert.deepEqual(d.segments.map((s) => s.speaker), ["A", "B", "C"]);
  d.segments.forEach((s, i) => {
    assert.equal(s.type, "transcript.text.segment");
    assert.equal(s.id, `seg_00${i + 1}`);
    assert.equal(s.text, groups[i].map((w) => w.word).join(" "));
    assertTime(s.start, groups[i][0].start, `segment ${i} start`);
    assertTime(s.end, groups[i].at(-1).end, `segment ${i} end`);
  });
  assert.equal(d.usage.type, "duration");
});

test("diarize=true with verbose_json labels every segment and word; with srt each cue starts with its speaker", async () => {
  const v = await client.audio.transcriptions.create({
    file: upload(LONG), model: "whisper-1", response_format: "verbose_json", timestamp_granularities: ["word", "segment"],
    diarize: true, num_speakers: 3,
  });
  assert.deepEqual(v.segments.map((s) => s.speaker), ["speaker_0", "speaker_1", "speaker_2"]);
  assert.equal(v.words.length, cli(LONG).words.length);
  for (const w of v.words) assert.match(w.speaker, /^speaker_[0-2]$/);
  const srt = await client.audio.transcriptions.create({
    file: upload(LONG), model: "whisper-1", response_format: "srt", diarize: true, num_speakers: 3,
  });
  const cues = srt.trim().split(/\r?\n\r?\n/);
  assert.ok(cues.length >= 3, srt);
  for (const c of cues) assert.match(c.split(/\r?\n/)[2], /^\[speaker_[0-2]\] /, c);
});

test("srt is the CLI's srt", async () => {
  const srt = await client.audio.transcriptions.create({ file: upload(JFK), model: "whisper-1", response_format: "srt" });
  assert.equal(typeof srt, "string");
  assert.match(srt, /^1\r?\n\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d\r?\n/);
  assert.equal(srt.trimEnd(), cli(JFK).srt.trimEnd());
});

test("vtt is the CLI's vtt", async () => {
  const vtt = await client.audio.transcriptions.create({ file: upload(JFK), model: "whisper-1", response_format: "vtt" });
  assert.equal(typeof vtt, "string");
  assert.match(vtt, /^WEBVTT\r?\n/);
  assert.equal(vtt.trimEnd(), cli(JFK).vtt.trimEnd());
});

test("verbose_json with word and segment timestamps: the CLI's words and segments, consistent with each other", async () => {
  const expected = cli(JFK);
  const v = await client.audio.transcriptions.create({
    file: upload(JFK),
    model: "whisper-1",
    response_format: "verbose_json",
    timestamp_granularities: ["word", "segment"],
  });
  assert.equal(v.text, expected.text);
  assertTime(v.duration, expected.duration, "duration");

  assert.ok(Array.isArray(v.segments) && v.segments.length > 0, "segments present");
  assert.equal(v.segments.length, expected.segments.length, "as many segments as the CLI");
  v.segments.forEach((s, i) => {
    const e = expected.segments[i];
    assert.equal(s.id, i);
    assert.equal(s.text.trim(), e.text.trim(), `segment ${i} text`);
    assertTime(s.start, e.start, `segment ${i} start`);
    assertTime(s.end, e.end, `segment ${i} end`);
    assert.ok(s.start <= s.end && s.end <= v.duration + 1e-6, `segment ${i} lies in the audio`);
  });
  assert.equal(squash(v.segments.map((s) => s.text).join(" ")), v.text, "segments make up the text");

  assert.ok(Array.isArray(v.words) && v.words.length > 0, "words present");
  assert.deepEqual(v.words.map((w) => w.word), expected.words.map((w) => w.word), "the CLI's words");
  v.words.forEach((w, i) => {
    assertTime(w.start, expected.words[i].start, `word ${i} (${w.word}) start`);
    assertTime(w.end, expected.words[i].end, `word ${i} (${w.word}) end`);
    assert.ok(w.start <= w.end, `word ${i} starts before it ends`);
    if (i > 0) assert.ok(w.start >= v.words[i - 1].start, `word ${i} does not start before the previous one`);
    const inSegment = v.segments.some((s) => w.start >= s.start - 1e-6 && w.end <= s.end + 1e-6);
    assert.ok(inSegment, `word ${i} (${w.word} ${w.start}-${w.end}) lies inside a segment`);
  });
  assert.equal(v.words.map((w) => w.word).join(" "), v.text, "words make up the text");
  assert.equal(typeof v.language, "string", `language is required by OpenAI's schema (an English language name), got ${v.language}`);
  assert.ok(v.language.length > 0);
});

test("verbose_json segments carry every field OpenAI's TranscriptionSegment requires", async () => {
  const v = await client.audio.transcriptions.create({ file: upload(JFK), model: "whisper-1", response_format: "verbose_json" });
  const required = { id: "number", seek: "number", start: "number", end: "number", text: "string", temperature: "number",
    compression_ratio: "number" };
  for (const s of v.segments) {
    for (const [field, type] of Object.entries(required)) assert.equal(typeof s[field], type, `segment.${field} is a ${type}: ${JSON.stringify(s)}`);
    // A transducer has no Whisper decoding statistics: present, and null rather than made up.
    for (const field of ["avg_logprob", "no_speech_prob"]) {
      assert.ok(field in s && (s[field] === null || typeof s[field] === "number"), `segment.${field} is a number or null: ${JSON.stringify(s)}`);
    }
    assert.ok(Array.isArray(s.tokens) && s.tokens.every(Number.isInteger), `segment.tokens is an integer array: ${JSON.stringify(s)}`);
  }
});

test("stream: true gives transcript.text.delta events, then transcript.text.done with the CLI's text", async () => {
  const expected = cli(LONG);
  assert.ok(expected.segments.length >= 2, `${LONG} has ${expected.segments.length} segment(s) with the CLI; the test needs several`);
  const stream = await client.audio.transcriptions.create({ file: upload(LONG), model: MODEL, stream: true });
  const events = [];
  for await (const event of stream) events.push(event);

  const types = events.map((e) => e.type);
  const done = types.indexOf("transcript.text.done");
  assert.ok(done >= 0, `a transcript.text.done event: ${JSON.stringify(types)}`);
  assert.equal(done, events.length - 1, "done is the last event");
  assert.equal(types.filter((t) => t === "transcript.text.done").length, 1, "one done event");
  const deltas = events.filter((e) => e.type === "transcript.text.delta");
  assert.ok(deltas.length >= 1 && types.indexOf("transcript.text.delta") < done, `a delta before done: ${JSON.stringify(types)}`);
  assert.ok(deltas.every((d) => typeof d.delta === "string"), "every delta has a delta string");
  assert.equal(events[done].text, expected.text, "done.text is the CLI's text");
  assert.equal(squash(deltas.map((d) => d.delta).join("")), squash(expected.text), "the deltas add up to the text");
});

test("translations are refused with a 400 naming the models that can translate (none here)", async () => {
  const error = await client.audio.translations
    .create({ file: upload(JFK), model: "whisper-1" })
    .then(() => assert.fail("a translation with only an English transcriber loaded must fail"), (e) => e);
  assert.ok(error instanceof BadRequestError, `BadRequestError, got ${error?.constructor?.name}: ${error?.message}`);
  assert.equal(error.status, 400);
  assert.equal(error.type, "invalid_request_error");
  assert.match(error.error.message, /translat/i, "the message says what cannot be done");
  assert.match(error.error.message, /\bnone\b|\bno\b/i, "the message says no loaded model can translate");
});

test("a text file named x.wav is a BadRequestError carrying the server's message", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotto-openai-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fake = path.join(dir, "x.wav");
  fs.writeFileSync(fake, "This is a text file, not audio.\n".repeat(20));
  const error = await client.audio.transcriptions
    .create({ file: fs.createReadStream(fake), model: "whisper-1" })
    .then(() => assert.fail("a text file must not transcribe"), (e) => e);
  assert.ok(error instanceof BadRequestError, `BadRequestError, got ${error?.constructor?.name}: ${error?.message}`);
  assert.equal(error.status, 400);
  assert.deepEqual(Object.keys(error.error).sort(), ["code", "message", "param", "type"], "OpenAI's error object, all four keys");
  assert.equal(error.error.type, "invalid_request_error");
  assert.ok(error.error.message.length > 10, "a message for the user");
  assert.ok(error.message.includes(error.error.message), "the client surfaces the server's message");
  t.diagnostic(`server said: ${error.error.message}`);
});

test("an unknown model is a NotFoundError", async () => {
  const error = await client.audio.transcriptions
    .create({ file: upload(JFK), model: "no-such-model-xyz" })
    .then(() => assert.fail("an unknown model must fail"), (e) => e);
  assert.ok(error instanceof NotFoundError, `NotFoundError, got ${error?.constructor?.name}: ${error?.message}`);
  assert.equal(error.status, 404);
  assert.equal(error.code, "model_not_found");
  assert.match(error.error.message, /no-such-model-xyz/);
});

test("models.list() has the loaded model and the OpenAI aliases; models.retrieve() finds them", async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    assert.equal(model.object, "model");
    assert.equal(typeof model.created, "number");
    assert.equal(typeof model.owned_by, "string");
    ids.push(model.id);
  }
  assert.ok(ids.includes(MODEL), `${MODEL} in ${JSON.stringify(ids)}`);
  assert.ok(ids.includes("whisper-1"), `whisper-1 in ${JSON.stringify(ids)}`);
  assert.equal((await client.models.retrieve(MODEL)).id, MODEL);
  assert.equal((await client.models.retrieve("whisper-1")).id, "whisper-1");
  const missing = await client.models.retrieve("no-such-model-xyz").then(() => null, (e) => e);
  assert.ok(missing instanceof NotFoundError, `NotFoundError for an unknown model id, got ${missing}`);
});

test("a wrong API key is an AuthenticationError, every time", { skip: SOTTO_KEY ? false : "the server runs without --api-key" }, async () => {
  // The key is refused before the upload is read: repeated, since a server that closes the
  // connection early makes the client fail with EPIPE (APIConnectionError) only some of the time.
  const stranger = new OpenAI({ apiKey: SOTTO_KEY + "-wrong", baseURL: `${SOTTO_URL}/v1`, maxRetries: 0 });
  const outcomes = [];
  for (let i = 0; i < 10; i++) {
    const error = await stranger.audio.transcriptions
      .create({ file: upload(JFK), model: "whisper-1" })
      .then(() => assert.fail("a wrong key must be refused"), (e) => e);
    outcomes.push(error instanceof AuthenticationError && error.status === 401
      ? "401" : `${error?.constructor?.name} ${error?.cause?.cause?.code ?? error?.cause?.code ?? error?.message}`);
  }
  assert.deepEqual(outcomes, Array(10).fill("401"), "10 uploads with a wrong key: AuthenticationError (401) each time");
  const listing = await stranger.models.list().then(() => null, (e) => e);
  assert.ok(listing instanceof AuthenticationError, "models need the key too");
});
