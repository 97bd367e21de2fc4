// A file through POST /v1/audio/transcriptions: one streaming request (stream=true with
// response_format=verbose_json, Sotto's extension) gives the upload progress (XHR), the decoding
// progress (each delta carries its segment, whose end says how far the decoder got) and, in the
// done event, the same verbose_json a plain request answers. SRT, VTT and JSON downloads ask the
// server again for that format, so they are byte for byte what the API (and for SRT/VTT the CLI)
// writes; TXT is the text the server sent, as its `text` format writes it.

import { ApiError, authHeaders, clock, errorMessage, saveBlob } from "./api.js";

export class UploadPanel {
  constructor({ settings, onUnauthorized }) {
    this.settings = settings;             // () => {model, language, chunkMs}
    this.onUnauthorized = onUnauthorized;
    this.input = document.getElementById("file");
    this.drop = document.getElementById("drop");
    this.progress = document.getElementById("upload-progress");
    this.status = document.getElementById("upload-status");
    this.player = document.getElementById("player");
    this.list = document.getElementById("segments");
    this.downloads = document.getElementById("downloads");
    this.file = null;
    this.transcript = null;
    this.request = null;
    this.duration = NaN;

    this.input.addEventListener("change", () => this.input.files[0] && this.start(this.input.files[0]));
    for (const type of ["dragenter", "dragover"]) {
      this.drop.addEventListener(type, (e) => {
        e.preventDefault();
        this.drop.classList.add("over");
      });
    }
    for (const type of ["dragleave", "drop"]) this.drop.addEventListener(type, () => this.drop.classList.remove("over"));
    this.drop.addEventListener("drop", (e) => {
      e.preventDefault();
      const file = e.dataTransfer.files[0];
      if (file) this.start(file);
    });
    this.downloads.addEventListener("click", (e) => {
      const format = e.target.closest("button")?.dataset.format;
      if (format) this.download(format, e.target.closest("button"));
    });
    this.player.addEventListener("loadedmetadata", () => (this.duration = this.player.duration));
    this.player.addEventListener("timeupdate", () => this.markPlaying());
  }

  /** Sends the file and shows the transcript as it arrives. */
  start(file) {
    this.request?.abort();
    this.file = file;
    this.transcript = null;
    this.duration = NaN;
    this.list.replaceChildren();
    this.downloads.hidden = true;
    this.player.hidden = false;
    if (this.player.src) URL.revokeObjectURL(this.player.src);
    this.player.src = URL.createObjectURL(file);

    const form = this.form(file, { response_format: "verbose_json", stream: "true" });
    form.append("timestamp_granularities[]", "segment");
    form.append("timestamp_granularities[]", "word");
    const xhr = new XMLHttpRequest();
    this.request = xhr;
    xhr.open("POST", "/v1/audio/transcriptions");
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    this.show(0, `Uploading ${file.name}…`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) this.show(e.loaded / e.total, `Uploading ${file.name}: ${Math.round((100 * e.loaded) / e.total)} %`);
    };
    xhr.upload.onload = () => this.show(null, "Decoding…");
    let read = 0;
    const consume = () => {
      if (xhr.status !== 200) return;
      const text = xhr.responseText;
      let end;
      while ((end = text.indexOf("\n\n", read)) >= 0) {
        const block = text.slice(read, end);
        read = end + 2;
        for (const line of block.split("\n")) if (line.startsWith("data: ")) this.event(JSON.parse(line.slice(6)));
      }
    };
    xhr.onprogress = consume;
    xhr.onload = () => {
      if (xhr.status === 200) {
        consume();
        if (!this.transcript && !this.failed) this.fail("The server ended the answer without the transcript.");
        return;
      }
      const message = errorMessage(xhr.status, xhr.responseText);
      if (xhr.status === 401) this.onUnauthorized(message);
      this.fail(message);
    };
    xhr.onerror = () => this.fail("The upload failed: the server could not be reached (or closed the connection).");
    this.failed = false;
    xhr.send(form);
  }

  form(file, fields) {
    const { model, language, chunkMs } = this.settings();
    const form = new FormData();
    form.append("file", file, file.name);
    form.append("model", model);
    if (language) form.append("language", language);
    if (chunkMs) form.append("chunk_ms", String(chunkMs));
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return form;
  }

  /** One server-sent event. */
  event(e) {
    if (e.type === "transcript.text.delta" && e.segment) {
      this.addSegment(e.segment);
      const done = Number.isFinite(this.duration) && this.duration > 0 ? Math.min(1, e.segment.end / this.duration) : null;
      this.show(done, `Decoding: ${clock(e.segment.end)}${Number.isFinite(this.duration) ? ` of ${clock(this.duration)}` : ""}`);
    } else if (e.type === "transcript.text.done") {
      this.transcript = e.transcript;
      this.list.replaceChildren();
      for (const s of e.transcript.segments) this.addSegment(s);
      this.progress.hidden = true;
      this.status.classList.remove("error");
      this.status.textContent = `Done: ${e.transcript.segments.length} segments, ${clock(e.transcript.duration)} of audio. Select a segment to play it.`;
      this.downloads.hidden = false;
    } else if (e.error) {
      this.fail(e.error.message ?? String(e.error));
    }
  }

  addSegment(s) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.start = s.start;
    button.dataset.end = s.end;
    const time = document.createElement("span");
    time.className = "time";
    time.textContent = `${clock(s.start)}–${clock(s.end)}`;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = s.text.trim();
    button.append(time, text);
    button.addEventListener("click", () => {
      this.player.currentTime = s.start;
      this.player.play().catch(() => { /* autoplay refused: the player is at the segment anyway */ });
      this.markPlaying();
    });
    li.append(button);
    this.list.append(li);
  }

  /** aria-current on the segment under the player's position. */
  markPlaying() {
    const t = this.player.currentTime;
    for (const b of this.list.querySelectorAll("button")) {
      const on = t >= Number(b.dataset.start) && t < Number(b.dataset.end);
      if (on) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    }
  }

  /** value null: indeterminate. */
  show(value, text) {
    this.progress.hidden = false;
    if (value === null) this.progress.removeAttribute("value");
    else this.progress.value = value;
    this.status.classList.remove("error");
    this.status.textContent = text;
  }

  fail(message) {
    this.failed = true;
    this.progress.hidden = true;
    this.status.classList.add("error");
    this.status.textContent = message;
  }

  async download(format, button) {
    if (!this.transcript) return;
    const base = (this.file?.name ?? "audio").replace(/\.[^.]*$/, "");
    if (format === "txt") {
      saveBlob(new Blob([this.transcript.text + "\n"], { type: "text/plain" }), `${base}.txt`);
      return;
    }
    const responseFormat = format === "json" ? "verbose_json" : format;
    const form = this.form(this.file, { response_format: responseFormat });
    if (format === "json") {
      form.append("timestamp_granularities[]", "segment");
      form.append("timestamp_granularities[]", "word");
    }
    button.disabled = true;
    this.status.textContent = `Asking the server for ${format.toUpperCase()}…`;
    try {
      const res = await fetch("/v1/audio/transcriptions", { method: "POST", headers: authHeaders(), body: form });
      const body = await res.blob();
      if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, await body.text()));
      saveBlob(body, `${base}.${format}`);
      this.status.textContent = `Saved ${base}.${format}.`;
    } catch (e) {
      if (e.status === 401) this.onUnauthorized(e.message);
      this.fail(`${format.toUpperCase()}: ${e.message}`);
    } finally {
      button.disabled = false;
    }
  }
}
