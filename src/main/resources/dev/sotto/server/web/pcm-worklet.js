// AudioWorklet: the microphone (at the audio context's rate, usually 48 kHz) resampled to
// 16 kHz mono 16-bit PCM, posted in 50 ms frames with the frame's level (RMS and peak of the
// input). Resampling is a windowed-sinc low-pass (cut at 7.2 kHz, below the new Nyquist
// frequency, so nothing above it folds back into speech) evaluated at each output instant;
// at 16 kHz the samples pass unchanged.

const OUT_RATE = 16000;
const FRAME = 800;             // 50 ms at 16 kHz
const ZEROS = 16;              // zero crossings of the sinc on each side, in output samples
const TABLE = 512;             // kernel samples per input sample (linear interpolation between)

class Pcm16k extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / OUT_RATE;                      // input samples per output sample
    this.passThrough = sampleRate === OUT_RATE;
    const cutoff = (0.45 * OUT_RATE) / sampleRate;           // cycles per input sample
    this.half = Math.ceil(ZEROS * Math.max(1, this.ratio));  // kernel half-width in input samples
    this.kernel = new Float32Array(this.half * TABLE + 2);
    for (let i = 0; i < this.kernel.length; i++) {
      const t = i / TABLE;                                   // distance in input samples
      const x = 2 * cutoff * t;
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const w = t >= this.half ? 0 : 0.5 + 0.5 * Math.cos((Math.PI * t) / this.half);   // Hann
      this.kernel[i] = 2 * cutoff * sinc * w;
    }
    this.buffer = new Float32Array(1 << 16);   // input history; buffer[0] is input sample `base`
    this.base = 0;
    this.length = 0;
    this.next = 0;                             // input position of the next output sample
    this.out = new Int16Array(FRAME);
    this.outLength = 0;
    this.sumSquares = 0;
    this.peak = 0;
    this.inputCount = 0;
    this.port.onmessage = (e) => {
      if (e.data === "flush") {
        this.post(true);
      }
    };
  }

  tap(distance) {
    const d = Math.abs(distance) * TABLE;
    const i = Math.floor(d);
    if (i >= this.kernel.length - 1) return 0;
    const f = d - i;
    return this.kernel[i] * (1 - f) + this.kernel[i + 1] * f;
  }

  push(sample) {
    if (this.passThrough) {
      this.emit(sample);
      return;
    }
    if (this.length === this.buffer.length) {
      // drop what no future output sample reaches
      const keep = Math.max(0, Math.floor(this.next) - this.half - this.base);
      this.buffer.copyWithin(0, keep, this.length);
      this.base += keep;
      this.length -= keep;
    }
    this.buffer[this.length++] = sample;
    const last = this.base + this.length - 1;
    while (this.next + this.half <= last) {
      const centre = Math.floor(this.next);
      let acc = 0;
      for (let k = centre - this.half + 1; k <= centre + this.half; k++) {
        const idx = k - this.base;
        if (idx >= 0) acc += this.buffer[idx] * this.tap(this.next - k);
      }
      this.emit(acc);
      this.next += this.ratio;
    }
  }

  emit(value) {
    const v = Math.max(-1, Math.min(1, value));
    this.out[this.outLength++] = Math.round(v < 0 ? v * 32768 : v * 32767);
    if (this.outLength === FRAME) this.post(false);
  }

  post(flush) {
    const pcm = this.out.slice(0, this.outLength);
    const rms = this.inputCount ? Math.sqrt(this.sumSquares / this.inputCount) : 0;
    this.port.postMessage({ pcm, rms, peak: this.peak, flushed: flush }, [pcm.buffer]);
    this.outLength = 0;
    this.sumSquares = 0;
    this.peak = 0;
    this.inputCount = 0;
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const n = channels[0].length;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (const c of channels) s += c[i];
      s /= channels.length;                    // mono: the mean of the channels
      this.sumSquares += s * s;
      this.peak = Math.max(this.peak, Math.abs(s));
      this.inputCount++;
      this.push(s);
    }
    return true;
  }
}

registerProcessor("pcm-16k", Pcm16k);
