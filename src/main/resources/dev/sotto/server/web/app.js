// The page: asks for the API key when the server wants one, lists the loaded models
// (GET /v1/models, with Sotto's streaming fields), and wires the upload, live and bench panels.

import { ApiError, apiKey, getBlob, getJson, loadedModels, setApiKey } from "./api.js";
import { LivePanel } from "./live.js";
import { UploadPanel } from "./upload.js";

const $ = (id) => document.getElementById(id);
const status = $("server-status");
const keyForm = $("key-form");
const modelSelect = $("model");
const languageSelect = $("language");
const chunkSelect = $("chunk");
let models = [];

function settings() {
  const model = models.find((m) => m.id === modelSelect.value);
  const chunkMs = Number(chunkSelect.value) || 0;
  return {
    model: modelSelect.value,
    language: languageSelect.value,
    chunkMs: model && chunkMs !== model.chunk_ms ? chunkMs : 0,   // the default needs no chunk_ms
  };
}

function askForKey(message) {
  for (const id of ["settings", "upload", "live", "bench"]) $(id).hidden = true;
  keyForm.hidden = false;
  $("key-message").textContent = message;
  status.textContent = "The server needs an API key.";
  $("key-input").value = "";
  $("key-input").focus();
}

keyForm.addEventListener("submit", (e) => {
  e.preventDefault();
  setApiKey($("key-input").value.trim());
  connect();
});
$("change-key").addEventListener("click", () => askForKey("Enter another API key. It is kept in this tab only (session storage)."));

const upload = new UploadPanel({ settings, onUnauthorized: (m) => askForKey(`The server refused the key: ${m}`) });
new LivePanel({ settings });

async function connect() {
  try {
    models = await loadedModels();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      askForKey(apiKey() ? `The server refused this key (${e.message}). Enter the right one.`
        : "This server asks for an API key. It is kept in this tab only (session storage).");
    } else {
      status.textContent = `Cannot reach the server's API: ${e.message}`;
      status.classList.add("error");
    }
    return;
  }
  keyForm.hidden = true;
  $("change-key").hidden = !apiKey();
  status.textContent = `Connected: ${models.length} model${models.length === 1 ? "" : "s"} loaded${apiKey() ? " (with your API key)" : ""}.`;
  modelSelect.replaceChildren(...models.map((m) => new Option(`${m.id} (${m.family})`, m.id)));
  for (const id of ["settings", "upload", "live", "bench"]) $(id).hidden = false;
  modelChanged();
  upload.ready = true;
}

function modelChanged() {
  const m = models.find((x) => x.id === modelSelect.value);
  if (!m) return;
  languageSelect.replaceChildren(new Option(m.languages.length ? "Detect / model default" : "The model's language", ""),
    ...m.languages.map((l) => new Option(l, l)));
  languageSelect.disabled = m.languages.length === 0;
  const sizes = m.chunk_sizes.length ? m.chunk_sizes : [];
  chunkSelect.replaceChildren(...(sizes.length ? sizes.map((ms) => new Option(`${ms} ms`, String(ms)))
    : [new Option("whole input (not streaming)", "")]));
  chunkSelect.value = m.streaming ? String(m.chunk_ms) : "";
  chunkSelect.disabled = sizes.length < 2;
  $("chunk-help").textContent = !m.streaming ? "This model decodes whole inputs; live, its words arrive a piece at a time (cut at pauses)."
    : sizes.length < 2 ? `This export has one chunk size (${m.chunk_ms} ms).`
    : "Smaller chunks: words sooner; larger: more accurate.";
  showBench(m);
}

modelSelect.addEventListener("change", modelChanged);

/** The bench report's plot and the selected model's rows (GET /web/bench/…; 404 when serve has no --bench-report). */
async function showBench(model) {
  const plot = $("bench-plot");
  const table = $("bench-table");
  const note = $("bench-status");
  plot.hidden = table.hidden = true;
  let report;
  try {
    report = await getJson("/web/bench/bench.json");
  } catch (e) {
    note.textContent = e.status === 404 ? "No bench report on this server. Measure the chunk sizes with "
      + "`sotto bench --model DIR --manifest TSV --out REPORT`, then start `sotto serve --bench-report REPORT`." : e.message;
    return;
  }
  const rows = report.rows.filter((r) => r.model.replace(/\/\d+ms$/, "") === model.id);
  note.textContent = rows.length
    ? `From sotto bench on ${report.manifest} (${report.cores} cores, ${report.threads} thread${report.threads === 1 ? "" : "s"}).`
    : `The bench report has no rows for ${model.id} (it measured ${[...new Set(report.rows.map((r) => r.model))].join(", ")}).`;
  const tbody = table.querySelector("tbody");
  tbody.replaceChildren(...rows.map((r) => {
    const tr = document.createElement("tr");
    const rate = r.wer ?? r.cer;
    const cells = [`${r.chunk_ms} ms`, rate === null ? "–" : `${(100 * rate).toFixed(2)} %${r.wer === null ? " (CER)" : ""}`,
      r.real_time_factor?.toFixed(4) ?? "–", `${r.chunk_latency_ms.p50} / ${r.chunk_latency_ms.p95}`,
      String(r.first_partial_latency_ms.mean), String(r.finalization_latency_ms.mean)];
    tr.replaceChildren(...cells.map((c) => Object.assign(document.createElement("td"), { textContent: c })));
    return tr;
  }));
  table.hidden = rows.length === 0;
  try {
    const svg = await getBlob("/web/bench/bench.svg");
    if (plot.src) URL.revokeObjectURL(plot.src);
    plot.src = URL.createObjectURL(svg);
    plot.alt = `sotto bench plot: error rate against first-partial latency, one point per chunk size${rows.length
      ? `; for ${model.id}: ${rows.map((r) => `${r.chunk_ms} ms chunks, ${r.first_partial_latency_ms.mean} ms to the first partial`).join("; ")}` : ""}.`;
    plot.hidden = false;
  } catch (e) {
    note.textContent += ` (the plot: ${e.message})`;
  }
}

connect();
