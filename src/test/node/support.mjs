// What the client tests share: where sotto and the data are, the CLI's transcripts to compare
// against, a static file server for audio URLs, and a guard that turns hangs into failures.
//
// Environment (ClientsTest.java sets all of it):
//   SOTTO_URL         base URL of a `sotto serve` started with --allow-private-urls (http://127.0.0.1:PORT)
//   SOTTO_STRICT_URL  base URL of a second `sotto serve` WITHOUT --allow-private-urls (the refusal tests
//                     are reported as skipped when it is not set)
//   SOTTO_KEY         the --api-key both servers were started with (empty: no key)
//   SHARED            the ../shared directory (default: ../shared beside the project)
//   EXPECTED_JSON     the CLI's output for the audio files the tests send (see ClientsTest.java):
//                     {"model": ID, "files": {"audio/en/jfk.wav": {<CLI verbose_json>, "srt": ..., "vtt": ...}}}

import { createServer } from "node:http";
import { createReadStream, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through ClientsTest (./mvnw test -Dtest=ClientsTest) or see src/test/node/support.mjs`);
  return value;
}

export const SOTTO_URL = required("SOTTO_URL").replace(/\/$/, "");
export const SOTTO_STRICT_URL = (process.env.SOTTO_STRICT_URL ?? "").replace(/\/$/, "");
export const SOTTO_KEY = process.env.SOTTO_KEY ?? "";
export const SHARED = resolve(process.env.SHARED ?? join(here, "../../../../shared"));

const expectations = JSON.parse(readFileSync(required("EXPECTED_JSON"), "utf8"));

/** The model the CLI ran (the server must have loaded the same one). */
export const MODEL = expectations.model;

/** What the CLI printed for a file under SHARED: its verbose_json (text, duration, segments, words), plus srt/vtt where computed. */
export function cli(relativePath) {
  const entry = expectations.files[relativePath];
  if (!entry) throw new Error(`${relativePath}: no CLI transcript in ${process.env.EXPECTED_JSON}; add the file to ClientsTest.AUDIO`);
  return entry;
}

export function sharedFile(relativePath) {
  return join(SHARED, relativePath);
}

/** Rejects when `promise` has not settled within `ms`: a client that hangs fails the test instead of stalling it. */
export function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const TYPES = { ".wav": "audio/wav", ".mp3": "audio/mpeg", ".flac": "audio/flac", ".ogg": "audio/ogg" };

/**
 * A static HTTP server on 127.0.0.1 serving SHARED (GET and HEAD; anything missing is a 404).
 * `url(rel)` is the URL of SHARED/rel; `hits` lists the paths requested, so a test can tell
 * whether sotto fetched a URL at all.
 */
export async function startFileServer() {
  const hits = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    hits.push(path);
    const file = resolve(SHARED, "." + path);
    let size = -1;
    try {
      if (file.startsWith(SHARED + "/")) size = statSync(file).isFile() ? statSync(file).size : -1;
    } catch {
      size = -1;
    }
    if (size < 0 || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": size });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    hits,
    url: (rel) => `${base}/${rel}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Collapses runs of whitespace, for comparing texts assembled from pieces (deltas, cues, words). */
export function squash(text) {
  return text.replace(/\s+/g, " ").trim();
}
