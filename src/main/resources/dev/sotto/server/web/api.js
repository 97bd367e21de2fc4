// The server's APIs as the page uses them, and the API key (asked once, kept in this tab's
// session storage, sent as `Authorization: Bearer` to HTTP APIs and as `api_key` in the
// WebSocket's query, since browsers cannot set headers on a WebSocket).

const KEY = "sotto-api-key";

export function apiKey() {
  return sessionStorage.getItem(KEY) || "";
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

export function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** A failed API call: `status` is the HTTP status (401: the key is missing or wrong). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The message in any of the server's error shapes ({error: {message}}, {error: "…"}, {detail}). */
export function errorMessage(status, body) {
  try {
    const o = JSON.parse(body);
    const e = o.error ?? o.detail;
    if (typeof e === "string") return e;
    if (e && typeof e.message === "string") return e.message;
  } catch {
    // not JSON: the text itself
  }
  return body && body.length < 300 ? body : `HTTP ${status}`;
}

export async function getJson(path) {
  const res = await fetch(path, { headers: authHeaders() });
  const body = await res.text();
  if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, body));
  return JSON.parse(body);
}

export async function getBlob(path) {
  const res = await fetch(path, { headers: authHeaders() });
  if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, await res.text()));
  return res.blob();
}

/** The loaded models (not their other names), with Sotto's streaming fields from GET /v1/models. */
export async function loadedModels() {
  const list = await getJson("/v1/models");
  return list.data.filter((m) => m.id === m.root);
}

/** The WebSocket URL of the Fireworks streaming endpoint for these settings. */
export function liveUrl({ model, language, chunkMs }) {
  const q = new URLSearchParams({ model });
  if (language) q.set("language", language);
  if (chunkMs) q.set("chunk_ms", String(chunkMs));
  if (apiKey()) q.set("api_key", apiKey());
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/v1/audio/transcriptions/streaming?${q}`;
}

/** Offers `blob` as a file download named `name`. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 12.3 → "0:12.3"; 3725.5 → "1:02:05.5". */
export function clock(seconds) {
  const s = Math.max(0, seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(1).padStart(4, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}
