// `sotto serve` driven the way NanoGPT's documentation calls /api/transcribe
// (docs.nano-gpt.com/api-reference/speech-to-text, …/endpoint/transcribe, …/endpoint/transcribe-status),
// with Node's own fetch, FormData and Blob: multipart `audio` (sent as 'audio.mp3', audio/mpeg, as the
// docs do) + `model` + `language` and header `x-api-key`; JSON `{audioUrl, model, language}`; the
// asynchronous `Elevenlabs-STT` model answering a `runId` that is polled on /api/transcribe/status.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { SOTTO_KEY, SOTTO_STRICT_URL, SOTTO_URL, cli, sharedFile, sleep, squash, startFileServer, within } from "./support.mjs";

const JFK_MP3 = "audio/en/jfk.mp3";
const JFK = "audio/en/jfk.wav";
const THREE = "audio/special/three-speakers.wav";

const keyHeader = (key = SOTTO_KEY) => (key ? { "x-api-key": key } : {});

function mp3Form(fields) {
  const form = new FormData();
  form.append("audio", new Blob([readFileSync(sharedFile(JFK_MP3))], { type: "audio/mpeg" }), "audio.mp3");
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

async function post(path, body, { base = SOTTO_URL, headers = keyHeader() } = {}) {
  const json = !(body instanceof FormData);
  const response = await within(60_000, fetch(`${base}${path}`, {
    method: "POST",
    headers: json ? { ...headers, "Content-Type": "application/json" } : headers,
    body: json ? JSON.stringify(body) : body,
  }), `POST ${path}`);
  const text = await response.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, type: response.headers.get("content-type") ?? "", body: parsed };
}

function assertMetadata(metadata, { fileName, fileSize, duration }) {
  assert.equal(typeof metadata, "object");
  if (fileName !== undefined) assert.equal(metadata.fileName, fileName);
  if (fileSize !== undefined) assert.equal(metadata.fileSize, fileSize);
  assert.equal(typeof metadata.chargedDuration, "number");
  assert.ok(metadata.chargedDuration > 0, `chargedDuration ${metadata.chargedDuration}`);
  assert.ok(Math.abs(metadata.actualDuration - duration) < 0.05, `actualDuration ${metadata.actualDuration} s, the audio lasts ${duration} s`);
  assert.equal(typeof metadata.language, "string");
  assert.equal(metadata.cost, 0);
  assert.equal(metadata.currency, "USD");
  assert.ok(typeof metadata.model === "string" && metadata.model.length > 0);
}

let files;
before(async () => {
  files = await startFileServer();
});
after(() => files.close());

test("multipart upload (audio, model, language) answers {transcription, metadata} with the CLI's text", async () => {
  const size = readFileSync(sharedFile(JFK_MP3)).length;
  const r = await post("/api/transcribe", mp3Form({ model: "Whisper-Large-V3", language: "en" }));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.match(r.type, /application\/json/);
  assert.equal(r.body.transcription, cli(JFK_MP3).text);
  assertMetadata(r.body.metadata, { fileName: "audio.mp3", fileSize: size, duration: cli(JFK_MP3).duration });
});

test("JSON with audioUrl answers the CLI's text", async () => {
  const r = await post("/api/transcribe", { audioUrl: files.url(JFK), model: "Wizper", language: "en" });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.transcription, cli(JFK).text);
  assertMetadata(r.body.metadata, { duration: cli(JFK).duration });
  assert.ok(files.hits.includes(`/${JFK}`), "sotto fetched the audioUrl");
});

test("Elevenlabs-STT is asynchronous: 202 {runId}, then polled to completed with words", async (t) => {
  const submitted = await post("/api/transcribe", mp3Form({ model: "Elevenlabs-STT", language: "en" }));
  assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
  const { runId } = submitted.body;
  assert.ok(typeof runId === "string" && runId.length > 0, JSON.stringify(submitted.body));
  assert.equal(submitted.body.status, "pending");
  assert.equal(submitted.body.model, "Elevenlabs-STT");

  // The documented status request: the runId plus what the submission answered.
  const job = submitted.body;
  const statusRequest = {
    runId,
    cost: job.cost,
    paymentSource: job.paymentSource,
    isApiRequest: true,
    fileName: job.fileName,
    fileSize: job.fileSize,
    chargedDuration: job.chargedDuration,
    diarize: false,
  };
  const seen = [];
  let status;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(250)) {
    status = await post("/api/transcribe/status", statusRequest);
    assert.equal(status.status, 200, JSON.stringify(status.body));
    seen.push(status.body.status);
    assert.ok(["pending", "processing", "completed"].includes(status.body.status), JSON.stringify(status.body));
    if (status.body.status === "completed") break;
  }
  t.diagnostic(`statuses seen: ${seen.join(" → ")}`);
  assert.equal(status.body.status, "completed", "completed within 30 s");

  const expected = cli(JFK_MP3);
  assert.equal(status.body.transcription, expected.text);
  assertMetadata(status.body.metadata, { fileName: "audio.mp3", duration: expected.duration });
  const { words } = status.body;
  assert.ok(Array.isArray(words) && words.length > 0, "words present");
  for (const w of words) {
    assert.ok(["word", "spacing"].includes(w.type), `ElevenLabs word type: ${JSON.stringify(w)}`);
    assert.equal(typeof w.text, "string");
    assert.ok(typeof w.start === "number" && typeof w.end === "number" && w.start <= w.end, JSON.stringify(w));
    assert.ok("speaker_id" in w, `speaker_id present: ${JSON.stringify(w)}`);
  }
  const spoken = words.filter((w) => w.type === "word");
  assert.deepEqual(spoken.map((w) => w.text), expected.words.map((w) => w.word), "the CLI's words");
  spoken.forEach((w, i) => {
    assert.ok(Math.abs(w.start - expected.words[i].start) < 0.0011 && Math.abs(w.end - expected.words[i].end) < 0.0011,
      `word ${i} ${w.text}: ${w.start}-${w.end}, CLI ${expected.words[i].start}-${expected.words[i].end}`);
  });
  assert.equal(squash(words.map((w) => (w.type === "spacing" ? " " : w.text)).join(" ")), expected.text, "words make up the text");
});

test("diarize=true with num_speakers adds diarization.segments: the three speakers of three-speakers.wav, in order", async () => {
  const form = new FormData();
  form.append("audio", new Blob([readFileSync(sharedFile(THREE))], { type: "audio/wav" }), "three-speakers.wav");
  for (const [k, v] of Object.entries({ model: "Whisper-Large-V3", language: "en", diarize: "true", num_speakers: "3" })) form.append(k, v);
  const r = await post("/api/transcribe", form);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.transcription, cli(THREE).text);
  const segments = r.body.diarization?.segments;
  assert.ok(Array.isArray(segments), `diarization.segments: ${JSON.stringify(r.body)}`);
  // The reference (leopard-test-data.json): words 1-4 speaker 1, 5-20 speaker 2, 21-35 speaker 3.
  const words = cli(THREE).words.map((w) => w.word);
  const groups = [words.slice(0, 4), words.slice(4, 20), words.slice(20)].map((g) => g.join(" "));
  assert.deepEqual(segments.map((s) => s.text), groups, "one segment per speaker turn");
  assert.deepEqual(segments.map((s) => s.speaker), ["speaker_0", "speaker_1", "speaker_2"]);
  for (const s of segments) assert.ok(typeof s.start === "number" && s.start < s.end, JSON.stringify(s));
});

test("Elevenlabs-STT with diarize=true: every word and spacing has a speaker_id, the first turn's words speaker_0", async () => {
  const form = new FormData();
  form.append("audio", new Blob([readFileSync(sharedFile(THREE))], { type: "audio/wav" }), "three-speakers.wav");
  for (const [k, v] of Object.entries({ model: "Elevenlabs-STT", diarize: "true", num_speakers: "3" })) form.append(k, v);
  const submitted = await post("/api/transcribe", form);
  assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
  let status;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
    status = await post("/api/transcribe/status", { runId: submitted.body.runId, diarize: true });
    if (status.body.status === "completed" || status.body.status === "failed") break;
  }
  assert.equal(status.body.status, "completed", JSON.stringify(status.body));
  const words = status.body.words.filter((w) => w.type === "word");
  assert.equal(words.length, cli(THREE).words.length);
  for (const w of status.body.words) assert.match(w.speaker_id, /^speaker_[0-2]$/, JSON.stringify(w));
  assert.deepEqual(words.slice(0, 4).map((w) => w.speaker_id), Array(4).fill("speaker_0"));
  assert.deepEqual([...new Set(words.map((w) => w.speaker_id))], ["speaker_0", "speaker_1", "speaker_2"]);
  assert.equal(status.body.diarization.segments.length, 3);
});

test("tagAudioEvents=true adds (silence) audio_event words where nobody speaks for 2 s or more", async () => {
  const form = new FormData();
  form.append("audio", new Blob([readFileSync(sharedFile(THREE))], { type: "audio/wav" }), "three-speakers.wav");
  for (const [k, v] of Object.entries({ model: "Whisper-Large-V3", tagAudioEvents: "true" })) form.append(k, v);
  const r = await post("/api/transcribe", form);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const events = r.body.words.filter((w) => w.type === "audio_event");
  // The only pause of 2 s or more: between the first turn (ends 3.8 s) and the second (starts 6.2 s).
  assert.equal(events.length, 1, JSON.stringify(events));
  assert.equal(events[0].text, "(silence)");
  assert.ok(events[0].start >= 3.5 && events[0].end <= 6.6 && events[0].end - events[0].start >= 2, JSON.stringify(events[0]));
  const words = r.body.words.filter((w) => w.type === "word");
  assert.equal(words.length, cli(THREE).words.length);
  const at = r.body.words.indexOf(events[0]);
  assert.equal(r.body.words[at - 1].text, "BEGINS", "the event sits between the words around it");
});

test("a bad num_speakers is a 400 on that field", async () => {
  const bad = await post("/api/transcribe", mp3Form({ model: "Whisper-Large-V3", diarize: "true", num_speakers: "two" }));
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.equal(bad.body.field, "num_speakers");
});

test("a missing or wrong x-api-key is a 401", { skip: SOTTO_KEY ? false : "the server runs without --api-key" }, async () => {
  // An upload refused before its body is read: repeated, since a server that closes the
  // connection early makes the client fail with EPIPE only some of the time.
  for (let i = 0; i < 10; i++) {
    const none = await post("/api/transcribe", mp3Form({ model: "Whisper-Large-V3", language: "en" }), { headers: {} })
      .catch((e) => assert.fail(`upload ${i + 1} without a key: no answer (${e.cause?.code ?? e.message}) instead of a 401`));
    assert.equal(none.status, 401, JSON.stringify(none.body));
  }
  const wrong = await post("/api/transcribe", { audioUrl: files.url(JFK), model: "Wizper" }, { headers: keyHeader(SOTTO_KEY + "-wrong") });
  assert.equal(wrong.status, 401, JSON.stringify(wrong.body));
  const status = await post("/api/transcribe/status", { runId: "anything" }, { headers: {} });
  assert.equal(status.status, 401, "the status endpoint needs the key too");
});

test("a loopback audioUrl is refused with a 4xx without --allow-private-urls", { skip: SOTTO_STRICT_URL ? false : "SOTTO_STRICT_URL is not set" }, async () => {
  const before = files.hits.length;
  const r = await post("/api/transcribe", { audioUrl: files.url(JFK), model: "Wizper", language: "en" }, { base: SOTTO_STRICT_URL });
  assert.ok(r.status >= 400 && r.status < 500, `a 4xx, got ${r.status} ${JSON.stringify(r.body)}`);
  assert.equal(files.hits.length, before, "the URL was never requested");
});
