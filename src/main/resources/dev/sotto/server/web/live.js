// The microphone through the server's Fireworks-protocol WebSocket
// (/v1/audio/transcriptions/streaming): an AudioWorklet (pcm-worklet.js) turns the microphone
// into 16 kHz 16-bit PCM frames of 50 ms, sent as binary messages; the server answers the
// segments that changed, each word with `is_final`. Open segments are grey, closed ones black.
//
// Latency, per update: when a message brings words further into the audio than any before,
// the time from sending the frame that holds the newest word's end (the `end` the server
// gives, in seconds of the stream) to receiving that message. It is what a speaker waits to
// see a word: the rest of its chunk, the decoding, and the network.
//
// Stop ends the input ({"checkpoint_id":"final"}); the server's answer closes every segment.

import { clock, liveUrl, saveBlob } from "./api.js";
import { wav } from "./wav.js";

const RATE = 16000;

export class LivePanel {
  constructor({ settings }) {
    this.settings = settings;
    this.section = document.getElementById("live");
    this.startButton = document.getElementById("live-start");
    this.stopButton = document.getElementById("live-stop");
    this.saveText = document.getElementById("live-save-text");
    this.saveAudio = document.getElementById("live-save-audio");
    this.level = document.getElementById("level");
    this.clock = document.getElementById("live-clock");
    this.status = document.getElementById("live-status");
    this.latencyView = document.getElementById("latency");
    this.text = document.getElementById("live-text");
    this.announce = document.getElementById("live-announce");   // aria-live: each segment once it is final
    this.startButton.addEventListener("click", () => this.start());
    this.stopButton.addEventListener("click", () => this.stop());
    this.saveText.addEventListener("click", () => saveBlob(new Blob([this.finalText() + "\n"], { type: "text/plain" }), "live.txt"));
    this.saveAudio.addEventListener("click", () => saveBlob(wav(this.chunks, RATE), "live.wav"));
    this.state("idle");
  }

  state(s, message = "") {
    this.section.dataset.state = s;
    this.status.textContent = message;
    this.status.classList.toggle("error", s === "error");
  }

  async start() {
    this.segments = new Map();   // id → {text, final}
    this.chunks = [];            // Int16Array frames sent, for "Save audio"
    this.sent = 0;               // samples sent
    this.marks = [];             // {end: samples sent after a frame, t: when it was sent}
    this.latencies = [];
    this.newestEnd = 0;
    this.stopping = false;
    this.lastError = null;
    this.render();
    this.latencyView.textContent = "";
    this.saveText.hidden = this.saveAudio.hidden = true;
    this.startButton.disabled = true;
    this.state("connecting", "Connecting…");
    try {
      this.ws = await open(liveUrl(this.settings()));
      this.ws.onmessage = (e) => this.message(JSON.parse(e.data));
      this.ws.onclose = (e) => this.closed(e);
      this.audio = new AudioContext();
      await this.audio.audioWorklet.addModule("/web/pcm-worklet.js");
      this.mic = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
      const source = this.audio.createMediaStreamSource(this.mic);
      this.node = new AudioWorkletNode(this.audio, "pcm-16k");
      this.node.port.onmessage = (e) => this.frame(e.data);
      const mute = this.audio.createGain();   // the worklet is pulled through a silent path to the output
      mute.gain.value = 0;
      source.connect(this.node).connect(mute).connect(this.audio.destination);
      this.stopButton.disabled = false;
      this.state("live", `Listening (${this.audio.sampleRate} Hz microphone, sent as 16 kHz PCM).`);
      this.stopButton.focus();
    } catch (e) {
      this.teardown();
      this.ws?.close();
      this.startButton.disabled = false;
      this.state("error", e.name === "NotAllowedError" ? "The browser was not allowed to use the microphone." : e.message);
    }
  }

  frame({ pcm, peak, flushed }) {
    this.level.value = Math.min(1, peak);
    if (pcm.length && this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(pcm.buffer);
      this.sent += pcm.length;
      this.marks.push({ end: this.sent, t: performance.now() });
      this.chunks.push(pcm);
      this.clock.textContent = `${(this.sent / RATE).toFixed(1)} s`;
      this.section.dataset.sentSeconds = (this.sent / RATE).toFixed(2);
    }
    if (flushed) {
      this.teardown();
      this.ws?.send(JSON.stringify({ checkpoint_id: "final" }));
    }
  }

  message(m) {
    if (m.error) {
      this.lastError = m.error;
      this.status.textContent = m.error;
      this.status.classList.add("error");
      return;
    }
    if (m.segments) {
      let newest = 0;
      for (const s of m.segments) {
        const final = s.words.length > 0 ? s.words.every((w) => w.is_final) : !s.text.trim() || this.stopping;
        if (final && s.text.trim() && !this.segments.get(Number(s.id))?.final) this.announce.textContent = s.text.trim();
        this.segments.set(Number(s.id), { text: s.text.trim(), final });
        for (const w of s.words) newest = Math.max(newest, w.end);
      }
      if (!this.stopping) this.measure(newest);
      this.render();
    }
    if (m.checkpoint_id === "final") {
      for (const s of this.segments.values()) {
        if (!s.final && s.text) this.announce.textContent = s.text;
        s.final = true;
      }
      this.render();
      this.ws.close(1000, "done");
      this.startButton.disabled = false;
      this.saveText.hidden = this.saveAudio.hidden = false;
      this.state("final", `Done: ${clock(this.sent / RATE)} of audio. Save the text or the audio below.`);
      this.startButton.focus();
    }
  }

  measure(newest) {
    if (newest <= this.newestEnd) return;
    this.newestEnd = newest;
    const sample = newest * RATE;
    const mark = this.marks.find((m) => m.end >= sample);
    if (!mark) return;
    this.latencies.push(performance.now() - mark.t);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const recent = this.latencies.slice(-8).map((v) => Math.round(v)).join(", ");
    this.latencyView.textContent = `Latency (newest word's audio sent → its words shown): last ${Math.round(this.latencies.at(-1))} ms, `
        + `median ${Math.round(median)} ms over ${this.latencies.length} updates (recent: ${recent} ms)`;
  }

  render() {
    const spans = [...this.segments.keys()].sort((a, b) => a - b).map((id) => this.segments.get(id))
      .filter((s) => s.text).map((s) => {
        const span = document.createElement("span");
        span.className = s.final ? "final" : "partial";
        span.textContent = s.text;
        return span;
      });
    this.text.replaceChildren(...spans.flatMap((s, i) => (i ? [" ", s] : [s])));
  }

  /** The transcript as the server closed it: every segment's text, in order. */
  finalText() {
    return [...this.segments.keys()].sort((a, b) => a - b).map((id) => this.segments.get(id).text).filter(Boolean).join(" ");
  }

  stop() {
    this.stopping = true;
    this.stopButton.disabled = true;
    this.state("finishing", "Finishing: the server closes the last segment…");
    this.node?.port.postMessage("flush");   // the worklet sends what it holds, then the end is sent (frame())
  }

  closed(e) {
    if (this.section.dataset.state === "final") return;
    this.teardown();
    this.startButton.disabled = false;
    this.stopButton.disabled = true;
    const why = e.code === 1013 ? "the server is busy, try again later"
      : this.lastError || e.reason || "the connection was lost or refused (is the API key right?)";
    this.state("error", `The live stream ended: ${why} (code ${e.code}).`);
  }

  teardown() {
    this.mic?.getTracks().forEach((t) => t.stop());
    this.mic = null;
    this.audio?.close();
    this.audio = null;
    this.level.value = 0;
  }
}

function open(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error("Could not open the live stream (the server refused it: is the API key right?)."));
  });
}
