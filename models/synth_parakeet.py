"""Synthetic NeMo offline exports (sherpa-onnx layout): Parakeet TDT (v2-like English,
v3-like multilingual), an offline RNN-T, an offline CTC model and the CTC head of a
hybrid model.

The graphs have exactly the I/O of the real exports -- `encoder[.int8].onnx`
(`audio_signal [B, feat, T]`, `length [B]` -> `outputs [B, D, T']`,
`encoded_lengths [B]`), `decoder` (targets, target_length and two LSTM states with
export-generated names), `joiner` (`[B, D, 1] x [B, H, 1] -> [B, 1, 1, V + 1 (+ 5)]`),
`model[.int8].onnx` (`audio_signal`, `length` -> `logprobs [B, T', V + 1]`),
`tokens.txt` with blank last, the metadata keys sherpa-onnx's export scripts write --
but tiny weights whose behaviour is known in advance:

* Offline models see features normalised per_feature (each mel bin to zero mean and
  unit variance over the utterance), which destroys absolute levels and any comparison
  between bins. So speech is coded per bin: seven carriers (4.5-7.5 kHz, 500 Hz apart,
  multiples of 100 Hz so every 10 ms hop sees the same waveform) always sound at a low
  "pilot" level, and a token raises some of them (a 7-bit class code) for whole 80 ms
  frames. After normalisation a raised carrier's bin is well above its mean, a pilot-only
  bin is at or below it, and a carrier the clip never raises is constant (0). The
  encoder reads the middle four mel frames of each 80 ms frame (away from the
  transitions) and takes the class from the bits above a threshold. Without per_feature
  normalisation nothing decodes.
* Like the streaming synthetic models, a token is emitted at a tone's onset only while
  the encoder's running onset parity differs from the parity the prediction network
  keeps in its LSTM state, so the decoder state must be fed back.
* TDT: the joint's duration logits say how far to jump: from an onset, over the tone
  (at most 4 frames); from silence, onto the next onset (0 when it is more than 4 frames
  away: blank with duration 0, which a decoder must turn into 1). Frames a correct
  decoder jumps over would emit their token again, so an engine that ignores durations
  repeats tokens. The "la" tone emits with duration 0 whatever the decoder state: a TDT
  decoder stops after 5 symbols on a frame (an RNN-T, and sherpa-onnx's beam search,
  after 10); the prediction network's parity ignores it.
* CTC: log-probabilities favour the class token on every frame of a tone (collapsed to
  one) and blank elsewhere; the "ah" tone gives blank 0.55 / token 0.45 on its first
  frame and 0.6 / 0.4 on the next, so greedy search drops it and prefix beam search keeps
  it (at its onset: the likeliest path takes it there).
* `length` matters: frames at or after ceil(length / 8) are garbage (the token "JUNK"),
  as real encoders' outputs past the valid length are, and frames made only of zero
  padding inside the declared length also give "JUNK" -- so a batch decoded with a
  wrong `length`, or with the padded frames kept, shows it.
* v3-like: 8192 pieces with `<|xx|>` language tags for its 25 languages; a tag tone
  makes the model emit the tag (no prompt), which the engine reports as the language.

Test clips are written beside the models with what each kind of model must return.
One clip mixes in real speech (low-passed below the carriers) so Silero VAD cuts it.
"""

import array
import json
import math
import os
import wave

import onnx_writer as ox
import synth_nemo
from onnx_writer import FLOAT, INT8, INT64, UINT8

SAMPLE_RATE = 16000
HOP = 160
SUBSAMPLING = 8
FRAME = HOP * SUBSAMPLING          # samples per encoder frame (80 ms)
CARRIERS = [4500, 5000, 5500, 6000, 6500, 7000, 7500]
PILOT, RAISED = 0.01, 0.03         # carrier amplitudes
RAMP = 80                          # half-width of the level changes, samples
TAU = 0.4                          # normalised level above which a carrier is raised
D = 16                             # encoder output channels
MAX_DURATION = 4                   # TDT durations 0..4
I64_MAX = 2**63 - 1

V3_LANGUAGES = ["bg", "hr", "cs", "da", "nl", "en", "et", "fi", "fr", "de", "el", "hu", "it", "lv",
                "lt", "mt", "pl", "pt", "ro", "sk", "sl", "es", "sv", "ru", "uk"]
EN_EXTRA = ["▁la", "▁ah", "▁JUNK"]
STUTTER, SOFT, JUNK = "▁la", "▁ah", "▁JUNK"


# --- mel bins of the carriers -----------------------------------------------------

def carrier_bins(n_mels):
    """The mel bin whose slaney filter weighs each carrier's FFT bin most."""
    top = synth_nemo.hz_to_mel(SAMPLE_RATE / 2)
    edges = [synth_nemo.mel_to_hz(top * i / (n_mels + 1)) for i in range(n_mels + 2)]
    bins = []
    for f in CARRIERS:
        freq = round(f / (SAMPLE_RATE / 512)) * SAMPLE_RATE / 512
        best, weight = -1, 0.0
        for m in range(n_mels):
            left, centre, right = edges[m], edges[m + 1], edges[m + 2]
            w = max(0.0, min((freq - left) / (centre - left), (right - freq) / (right - centre))) * 2 / (right - left)
            if w > weight:
                best, weight = m, w
        bins.append(best)
    assert len(set(bins)) == len(bins), bins
    return bins


def class_codes(n):
    """Codes with two, then three bits of seven set: every clip raises each carrier rarely."""
    codes = [c for k in (2, 3) for c in range(1, 128) if bin(c).count("1") == k]
    assert n <= len(codes)
    return codes[:n]


# --- vocabularies and class tables ---------------------------------------------------

class Tables:
    """What each 7-bit class means for one vocabulary: its token and behaviour."""

    def __init__(self, vocab, spoken):
        self.vocab = vocab
        self.code = dict(zip(spoken, class_codes(len(spoken))))
        self.token = [vocab.blank] * 128
        for piece, code in self.code.items():
            self.token[code] = vocab.ids[piece]
        self.stutter = [code == self.code.get(STUTTER) for code in range(128)]
        self.soft = [code == self.code.get(SOFT) for code in range(128)]
        self.junk = vocab.ids[JUNK]


def english():
    words = synth_nemo.EN_WORDS + EN_EXTRA
    vocab = synth_nemo.Vocab(1024, {w: 3 + 22 * k for k, w in enumerate(words)})
    return Tables(vocab, synth_nemo.EN_WORDS + [STUTTER, SOFT])


def multilingual():
    words = synth_nemo.ML_WORDS + [JUNK]
    placed = {w: 7 + 197 * k for k, w in enumerate(words)}
    placed.update({f"<|{lang}|>": 8100 + i for i, lang in enumerate(V3_LANGUAGES)})
    vocab = synth_nemo.Vocab(8192, placed)
    return Tables(vocab, synth_nemo.ML_WORDS + ["<|en|>", "<|de|>", "<|fr|>"])


# --- graphs ---------------------------------------------------------------------------

def constant(g, dtype, dims, values, int8):
    """A float constant, stored quantised (as quantize_dynamic stores weights) in int8 exports."""
    if not int8 or dtype != FLOAT:
        return g.const(dtype, dims, values)
    scale = max(abs(v) for v in values) / 127 or 1.0
    q = [int(round(v / scale)) for v in values]
    return g.op("DequantizeLinear", [g.const(INT8, dims, q), g.const(FLOAT, [], [scale]), g.const(INT8, [], [0])])


def classes(g, x, length, feat_dim, tables, int8):
    """audio_signal [B,F,T], length [B] -> class [B,T'] (0 = silence), junk [B,T'] and helpers."""
    def i64(*values):
        return g.const(INT64, [len(values)], values)

    t = g.op("Gather", [g.op("Shape", [x]), g.const(INT64, [], [2])], axis=0)
    pad = g.op("Mod", [g.op("Sub", [g.const(INT64, [], [SUBSAMPLING]), g.op("Mod", [t, g.const(INT64, [], [SUBSAMPLING])])]),
                       g.const(INT64, [], [SUBSAMPLING])])
    pads = g.op("Concat", [i64(0, 0, 0, 0, 0), g.op("Unsqueeze", [pad, i64(0)])], axis=0)
    grouped = g.op("Reshape", [g.op("Pad", [x, pads]), i64(0, feat_dim, -1, SUBSAMPLING)])    # [B,F,T',8]
    carriers = g.op("Gather", [grouped, i64(*carrier_bins(feat_dim))], axis=1)                  # [B,K,T',8]
    middle = g.op("ReduceMean", [g.op("Slice", [carriers, i64(2), i64(6), i64(3)])], axes=[3], keepdims=0)
    raised = g.op("Cast", [g.op("Greater", [middle, constant(g, FLOAT, [], [TAU], int8)])], to=INT64)
    weights = g.const(INT64, [1, len(CARRIERS), 1], [1 << k for k in range(len(CARRIERS))])
    cls = g.op("ReduceSum", [g.op("Mul", [raised, weights]), i64(1)], keepdims=0)               # [B,T']

    # Valid frames: ceil(length / 8), as NeMo's striding subsampling counts them.
    enc_len = g.op("Div", [g.op("Add", [length, i64(SUBSAMPLING - 1)]), i64(SUBSAMPLING)])
    n = g.op("Gather", [g.op("Shape", [cls]), g.const(INT64, [], [1])], axis=0)
    idx = g.op("Range", [g.const(INT64, [], [0]), n, g.const(INT64, [], [1])])                # [T']
    valid = g.op("Less", [g.op("Unsqueeze", [idx, i64(0)]), g.op("Unsqueeze", [enc_len, i64(1)])])
    # Frames made only of zero padding, inside the valid length of an utterance that is not all zero.
    level = g.op("ReduceMax", [g.op("Abs", [carriers])], axes=[1, 3], keepdims=0)
    zero = g.op("Equal", [level, g.const(FLOAT, [], [0.0])])
    zero_valid = g.op("ReduceSum", [g.op("Cast", [g.op("And", [zero, valid])], to=INT64), i64(1)], keepdims=0)
    silent = g.op("Unsqueeze", [g.op("Equal", [zero_valid, enc_len]), i64(1)])
    junk = g.op("Or", [g.op("Not", [valid]), g.op("And", [zero, g.op("Not", [silent])])])
    cls = g.op("Where", [junk, g.const(INT64, [], [0]), cls])
    return cls, junk, enc_len, idx


def runs(g, cls, idx):
    """Per frame: its position in its run of equal classes, the frames left in the run, and onsets."""
    def i64(*values):
        return g.const(INT64, [len(values)], values)

    prev = g.op("Slice", [g.op("Concat", [g.op("Mul", [g.op("Slice", [cls, i64(0), i64(1), i64(1)]), i64(0)]), cls], axis=1),
                          i64(0), i64(-1), i64(1)])
    changed = g.op("Not", [g.op("Equal", [cls, prev])])
    onset = g.op("And", [changed, g.op("Greater", [cls, i64(0)])])
    seg = g.op("CumSum", [g.op("Cast", [changed], to=INT64), g.const(INT64, [], [1])])
    same = g.op("Equal", [g.op("Unsqueeze", [seg, i64(2)]), g.op("Unsqueeze", [seg, i64(1)])])   # [B,T',T']
    row, col = g.op("Unsqueeze", [idx, i64(1)]), g.op("Unsqueeze", [idx, i64(0)])

    def count(mask):
        return g.op("ReduceSum", [g.op("Cast", [g.op("And", [same, mask])], to=INT64), i64(2)], keepdims=0)

    position = g.op("Sub", [count(g.op("LessOrEqual", [col, row])), i64(1)])
    left = count(g.op("GreaterOrEqual", [col, row]))
    return onset, position, left


def build_transducer_encoder(feat_dim, tables, tdt, int8):
    g = ox.Graph("synthetic_offline_fastconformer")
    x = g.input("audio_signal", FLOAT, ["audio_signal_dynamic_axes_1", feat_dim, "audio_signal_dynamic_axes_2"])
    length = g.input("length", INT64, ["length_dynamic_axes_1"])

    def i64(*values):
        return g.const(INT64, [len(values)], values)

    cls, junk, enc_len, idx = classes(g, x, length, feat_dim, tables, int8)
    onset, position, left = runs(g, cls, idx)
    voiced = g.op("Greater", [cls, i64(0)])
    stutter = g.op("Gather", [g.const(ox.BOOL, [128], tables.stutter), cls], axis=0)
    token = g.op("Where", [junk, i64(tables.junk), g.op("Gather", [g.const(INT64, [128], tables.token), cls], axis=0)])
    # The stutter is emitted 5 or 10 times: it is no onset, and the decoder's parity ignores it.
    onset = g.op("And", [onset, g.op("Not", [stutter])])
    parity = g.op("CumSum", [g.op("Cast", [onset], to=INT64), g.const(INT64, [], [1])])
    if tdt:
        # Frames 1-3 of a tone are jumped over by a correct TDT decoder: there the parity flips.
        inside = g.op("And", [voiced, g.op("And", [g.op("GreaterOrEqual", [position, i64(1)]),
                                                   g.op("LessOrEqual", [position, i64(MAX_DURATION - 1)])])])
        parity = g.op("Add", [parity, g.op("Cast", [inside], to=INT64)])
    parity = g.op("Mod", [parity, i64(2)])
    capped = g.op("Min", [left, i64(MAX_DURATION)])
    silence_jump = g.op("Where", [g.op("LessOrEqual", [left, i64(MAX_DURATION)]), left, i64(0)])
    duration = g.op("Where", [voiced, capped, silence_jump])
    duration = g.op("Where", [stutter, i64(0), g.op("Where", [junk, i64(1), duration])])
    always = g.op("Or", [stutter, junk])

    chans = [g.op("Unsqueeze", [g.op("Cast", [v], to=FLOAT), i64(1)]) for v in (token, parity, duration, always, cls)]
    out = g.op("Concat", chans, axis=1)
    g.op("Pad", [out, i64(0, 0, 0, 0, D - len(chans), 0)], outputs=["outputs"])
    g.op("Identity", [enc_len], outputs=["encoded_lengths"])
    g.output("outputs", FLOAT, ["outputs_dynamic_axes_1", D, "outputs_dynamic_axes_2"])
    g.output("encoded_lengths", INT64, ["encoded_lengths_dynamic_axes_1"])
    return g


def build_joiner(tables, pred_hidden, tdt, int8):
    """RNNTJoint export: [B,D,1] x [B,H,1] -> [B,1,1,V+1] (+5 duration logits for TDT)."""
    g = ox.Graph("synthetic_joint")
    v1 = tables.vocab.blank + 1
    enc = g.input("encoder_outputs", FLOAT, ["encoder_outputs_dynamic_axes_1", D, 1])
    dec = g.input("decoder_outputs", FLOAT, ["decoder_outputs_dynamic_axes_1", pred_hidden, 1])

    def i64(*values):
        return g.const(INT64, [len(values)], values)

    def channel(t, k):
        return g.op("Reshape", [g.op("Slice", [t, i64(k, 0), i64(k + 1, 1), i64(1, 2)]), i64(-1)])

    token = g.op("Cast", [channel(enc, 0)], to=INT64)
    differ = g.op("Abs", [g.op("Sub", [channel(enc, 1), channel(dec, 0)])])
    emit = g.op("Max", [differ, channel(enc, 3)])
    onehot = g.op("OneHot", [token, g.const(INT64, [], [v1]), g.const(FLOAT, [2], [0.0, 1.0])], axis=-1)
    scale = constant(g, FLOAT, [], [20.0], int8)
    bias = constant(g, FLOAT, [v1], [0.0] * (v1 - 1) + [10.0], int8)
    logits = g.op("Add", [g.op("Mul", [onehot, g.op("Unsqueeze", [g.op("Mul", [emit, scale]), i64(1)])]), bias])
    width = v1
    if tdt:
        duration = g.op("Cast", [channel(enc, 2)], to=INT64)
        durations = g.op("OneHot", [duration, g.const(INT64, [], [MAX_DURATION + 1]),
                                    g.const(FLOAT, [2], [0.0, 10.0])], axis=-1)
        logits = g.op("Concat", [logits, durations], axis=1)
        width += MAX_DURATION + 1
    g.op("Reshape", [logits, i64(-1, 1, 1, width)], outputs=["outputs"])
    g.output("outputs", FLOAT, ["outputs_dynamic_axes_1", "outputs_dynamic_axes_2", "outputs_dynamic_axes_3", width])
    return g


def build_ctc(feat_dim, tables, int8):
    """EncDecCTCModel export with decoder_type ctc: log-probabilities [B, T', V+1]."""
    g = ox.Graph("synthetic_fastconformer_ctc")
    x = g.input("audio_signal", FLOAT, ["audio_signal_dynamic_axes_1", feat_dim, "audio_signal_dynamic_axes_2"])
    length = g.input("length", INT64, ["length_dynamic_axes_1"])
    v1 = tables.vocab.blank + 1

    def i64(*values):
        return g.const(INT64, [len(values)], values)

    cls, junk, _, idx = classes(g, x, length, feat_dim, tables, int8)
    _, position, _ = runs(g, cls, idx)
    token = g.op("Where", [junk, i64(tables.junk), g.op("Gather", [g.const(INT64, [128], tables.token), cls], axis=0)])
    soft = g.op("Gather", [g.const(ox.BOOL, [128], tables.soft), cls], axis=0)
    first = g.op("Equal", [position, i64(0)])
    # logit -30 everywhere, the frame's token raised to 0, blank to -10; a soft tone's token to ln 0.45 on its
    # first frame and ln 0.4 after, blank to ln 0.55 and ln 0.6 (so the likeliest path takes it at its onset);
    # on silence the token is blank, raised twice, to 20.
    def pick(if_first, later, normal):
        soft_gain = g.op("Where", [first, g.const(FLOAT, [], [30 + math.log(if_first)]),
                                   g.const(FLOAT, [], [30 + math.log(later)])])
        return g.op("Where", [soft, soft_gain, g.const(FLOAT, [], [normal])])

    token_gain = pick(0.45, 0.4, 30.0)
    blank_gain = pick(0.55, 0.6, 20.0)

    def onehot(ids):
        return g.op("OneHot", [ids, g.const(INT64, [], [v1]), g.const(FLOAT, [2], [0.0, 1.0])], axis=-1)

    blank = g.op("Mul", [token, i64(0)])
    blank = g.op("Add", [blank, i64(tables.vocab.blank)])
    logits = g.op("Add", [g.op("Mul", [onehot(token), g.op("Unsqueeze", [token_gain, i64(2)])]),
                          g.op("Mul", [onehot(blank), g.op("Unsqueeze", [blank_gain, i64(2)])])])
    logits = g.op("Add", [logits, constant(g, FLOAT, [], [-30.0], int8)])
    g.op("LogSoftmax", [logits], outputs=["logprobs"], axis=-1)
    g.output("logprobs", FLOAT, ["logprobs_dynamic_axes_1", "logprobs_dynamic_axes_2", v1])
    return g


class DecoderSpec:
    def __init__(self, pred_layers=2, pred_hidden=16):
        self.pred_layers, self.pred_hidden = pred_layers, pred_hidden


# --- exports ----------------------------------------------------------------------------

def transducer_meta(tables, feat_dim, url, spec):
    return {
        "vocab_size": tables.vocab.blank,
        "normalize_type": "per_feature",
        "pred_rnn_layers": spec.pred_layers,
        "pred_hidden": spec.pred_hidden,
        "subsampling_factor": SUBSAMPLING,
        "model_type": "EncDecRNNTBPEModel",
        "version": "2",
        "model_author": "NeMo",
        "url": url,
        "comment": "Only the transducer branch is exported",
        "feat_dim": feat_dim,
    }


def write_transducer(out_dir, tables, feat_dim, url, tdt, int8=False, external=None):
    os.makedirs(out_dir, exist_ok=True)
    spec = DecoderSpec()
    suffix = ".int8.onnx" if int8 else ".onnx"
    ox.save(build_transducer_encoder(feat_dim, tables, tdt, int8), os.path.join(out_dir, "encoder" + suffix),
            metadata=transducer_meta(tables, feat_dim, url, spec), external_data=external)
    stutter = [tables.vocab.ids[STUTTER]] if STUTTER in tables.vocab.ids else []
    ox.save(synth_nemo.build_decoder(spec, tables.vocab, stutter), os.path.join(out_dir, "decoder" + suffix))
    ox.save(build_joiner(tables, spec.pred_hidden, tdt, int8), os.path.join(out_dir, "joiner" + suffix))
    tables.vocab.write(os.path.join(out_dir, "tokens.txt"))


def write_ctc(out_dir, tables, feat_dim, url, model_type, comment, int8=False):
    os.makedirs(out_dir, exist_ok=True)
    meta = {"vocab_size": tables.vocab.blank, "normalize_type": "per_feature", "subsampling_factor": SUBSAMPLING,
            "model_type": model_type, "version": "1", "model_author": "NeMo", "url": url, "comment": comment}
    ox.save(build_ctc(feat_dim, tables, int8), os.path.join(out_dir, "model.int8.onnx" if int8 else "model.onnx"),
            metadata=meta)
    tables.vocab.write(os.path.join(out_dir, "tokens.txt"))


# --- speech -------------------------------------------------------------------------------

class Speaker:
    """80 ms frames of class codes (0 = pilots only); the tokens a correct model hears."""

    def __init__(self, tables):
        self.tables = tables
        self.codes = []
        self.events = []      # (piece, onset frame, frames)
        self.speech = []      # (first sample, samples) of real speech mixed in

    def pause(self, frames):
        self.codes += [0] * frames
        return self

    def say(self, pieces, frames=(2, 3), gap=1):
        for i, piece in enumerate(pieces):
            n = frames[i % len(frames)]
            code = self.tables.code[piece]
            assert gap > 0 or not self.codes or self.codes[-1] != code, "equal neighbours would merge"
            self.events.append((piece, len(self.codes), n))
            self.codes += [code] * n
            self.codes += [0] * gap
        return self

    def mix(self, speech):
        """Real speech at the current position, followed by as much silence."""
        self.speech.append((len(self.codes) * FRAME, speech))
        return self.pause(-(-len(speech) // FRAME))

    def samples(self):
        period = [[math.sin(2 * math.pi * f * n / SAMPLE_RATE) for n in range(HOP)] for f in CARRIERS]

        def levels(code):
            return [RAISED if code >> k & 1 else PILOT for k in range(len(CARRIERS))]

        def wave_of(code):
            lv = levels(code)
            return [sum(lv[k] * period[k][n] for k in range(len(CARRIERS))) for n in range(HOP)]

        cache = {}
        out = []
        for code in self.codes:
            if code not in cache:
                cache[code] = wave_of(code) * SUBSAMPLING
            out += cache[code]
        # Raised-cosine level changes across each boundary where the code changes.
        for j in range(1, len(self.codes)):
            a, b = self.codes[j - 1], self.codes[j]
            if a == b:
                continue
            la, lb = levels(a), levels(b)
            for d in range(-RAMP, RAMP):
                r = 0.5 - 0.5 * math.cos(math.pi * (d + RAMP + 0.5) / (2 * RAMP))
                n = j * FRAME + d
                out[n] = sum((la[k] + (lb[k] - la[k]) * r) * period[k][n % HOP] for k in range(len(CARRIERS)))
        for first, speech in self.speech:
            for i, v in enumerate(speech):
                out[first + i] += v
        return out

    def check(self):
        """Each carrier must be raised in few enough frames that its raised level stands out."""
        for k in range(len(CARRIERS)):
            share = sum(1 for c in self.codes if c >> k & 1) / len(self.codes)
            assert share <= 0.5, f"carrier {k} raised in {share:.0%} of the frames"

    def write(self, path):
        self.check()
        pcm = array.array("h", (max(-32767, min(32767, int(round(s * 32767)))) for s in self.samples()))
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(pcm.tobytes())


def expected(events, kind, beam=False):
    """What a correct engine returns: tokens with start and duration (s)."""
    out = []
    for piece, onset, frames in events:
        start = round(onset * 0.08, 2)
        if kind == "tdt":
            if piece == STUTTER:
                # greedy search stops at 5 symbols on a frame; sherpa-onnx's beam search at 10
                out += [(piece, start, 0.0)] * (10 if beam else 5)
            else:
                out.append((piece, start, round(min(frames, MAX_DURATION) * 0.08, 2)))
        elif kind == "rnnt":
            out += [(piece, start, 0.0)] * (10 if piece == STUTTER else 1)
        elif piece != SOFT or beam:
            # prefix beam search merges alignments: its tokens have no duration
            out.append((piece, start, 0.0 if beam else round(frames * 0.08, 2)))
    return out


def text_of(pieces):
    return "".join(p for p in pieces if not (p.startswith("<|") and p.endswith("|>"))).replace("▁", " ").strip()


def case(audio_dir, name, speaker, kinds, language=None, note=""):
    speaker.write(os.path.join(audio_dir, name + ".wav"))
    result = {"name": name, "wav": name + ".wav", "duration": round(len(speaker.codes) * 0.08, 2),
              "language": language, "note": note, "expected": {}}
    for kind in kinds:
        for beam in ((False, True) if kind in ("tdt", "ctc") else (False,)):
            toks = expected(speaker.events, kind, beam)
            result["expected"][kind + ("-beam" if beam else "")] = {
                "text": text_of([t[0] for t in toks]), "tokens": [t[0] for t in toks],
                "starts": [t[1] for t in toks], "durations": [t[2] for t in toks]}
    return result


def lowpass(samples, cutoff=1500.0, sections=8):
    """Cascaded Butterworth biquads: speech below the carriers (over 100 dB down at 4.5 kHz)."""
    w0 = 2 * math.pi * cutoff / SAMPLE_RATE
    alpha = math.sin(w0) / (2 * math.sqrt(0.5))
    cos = math.cos(w0)
    a0 = 1 + alpha
    b0, b1, b2 = (1 - cos) / 2 / a0, (1 - cos) / a0, (1 - cos) / 2 / a0
    a1, a2 = -2 * cos / a0, (1 - alpha) / a0
    x = samples
    for _ in range(sections):
        y, x1, x2, y1, y2 = [], 0.0, 0.0, 0.0, 0.0
        for v in x:
            o = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            x2, x1, y2, y1 = x1, v, y1, o
            y.append(o)
        x = y
    return x


def real_speech():
    """1.5 s of ../shared/audio/en/jfk.wav ("...ask not what your country..."), low-passed."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "shared", "audio", "en", "jfk.wav")
    with wave.open(path, "rb") as w:
        w.setpos(int(7.2 * SAMPLE_RATE))
        data = array.array("h", w.readframes(int(1.5 * SAMPLE_RATE)))
    faded = [v / 32768.0 * min(1.0, i / 800, (len(data) - i) / 800) for i, v in enumerate(data)]
    return lowpass(faded)


def generate(out):
    root = os.path.join(out, "parakeet")
    en, ml = english(), multilingual()
    write_transducer(os.path.join(root, "parakeet-tdt-v2"), en, 128,
                     "https://huggingface.co/nvidia/parakeet-tdt-0.6b-v2", tdt=True, external="encoder.weights")
    write_transducer(os.path.join(root, "parakeet-tdt-v3"), ml, 128,
                     "https://huggingface.co/nvidia/parakeet-tdt-0.6b-v3", tdt=True, int8=True)
    write_transducer(os.path.join(root, "parakeet-rnnt"), en, 80,
                     "https://huggingface.co/nvidia/parakeet-rnnt-0.6b", tdt=False)
    write_ctc(os.path.join(root, "parakeet-ctc"), en, 80, "https://huggingface.co/nvidia/parakeet-ctc-0.6b",
              "EncDecCTCModelBPE", "")
    write_ctc(os.path.join(root, "fastconformer-hybrid-ctc"), en, 80,
              "https://catalog.ngc.nvidia.com/orgs/nvidia/teams/nemo/models/stt_en_fastconformer_hybrid_large_pc",
              "EncDecHybridRNNTCTCBPEModel", "Only the CTC branch is exported", int8=True)

    audio_dir = os.path.join(root, "audio")
    os.makedirs(audio_dir, exist_ok=True)
    words = synth_nemo.EN_WORDS
    kinds = ("tdt", "rnnt", "ctc")
    cases = []

    def sentence(text, vocab_words=words):
        return synth_nemo.sentence(text, vocab_words)

    s = Speaker(en).pause(3).say(sentence("the quick brown fox jumps over the lazy dog"), frames=(2, 3, 4)).pause(2)
    cases.append(case(audio_dir, "en-fox", s, kinds))
    s = Speaker(en).pause(1).say(sentence("Hello, world. Streaming speech recognition is fun!"), frames=(3, 2, 4), gap=0)
    s.pause(2)
    cases.append(case(audio_dir, "en-hello", s, kinds, note="no gaps: each TDT jump lands on the next onset"))
    s = Speaker(en).pause(2).say(sentence("the the dog dogs one two one two"), frames=(3,), gap=2).pause(1)
    cases.append(case(audio_dir, "en-repeats", s, kinds))
    s = Speaker(en).pause(2).say(sentence("the lazy dog"), frames=(6, 5, 7)).pause(9).say(sentence("is fun")).pause(1)
    cases.append(case(audio_dir, "en-long-tones", s, kinds, note="tones longer than the largest duration; a long pause"))
    s = Speaker(en).pause(2).say(sentence("we talked")).say([STUTTER], frames=(1,)).say(sentence("for hours")).pause(2)
    cases.append(case(audio_dir, "en-stutter", s, kinds, note="la: 5 symbols on one frame (TDT), 10 (RNN-T)"))
    s = Speaker(en).pause(2).say(sentence("the cat")).say([SOFT], frames=(2,)).say(sentence("sat")).pause(2)
    cases.append(case(audio_dir, "en-soft", s, kinds, note="ah: CTC greedy drops it, prefix beam search keeps it"))
    s = Speaker(en).pause(1).say(sentence("one")).pause(1)
    cases.append(case(audio_dir, "en-short", s, kinds))
    s = Speaker(en).pause(25)
    cases.append(case(audio_dir, "en-silence", s, kinds))

    s = Speaker(en).pause(2)
    text = "we talked for hours about the model cache and the chunk, it is a very long test, one two one two."
    for i in range(7):
        s.say(sentence(text), frames=(2, 3)).pause(6 + 3 * i)
    cases.append(case(audio_dir, "en-long", s, kinds, note="about a minute: cut into pieces"))

    # Real speech (low-passed) around each stretch of tones, so Silero VAD finds windows that hold them.
    speech = real_speech()
    s = Speaker(en).pause(10)
    for i in range(6):
        start = len(s.codes)
        s.mix(speech).pause(6).say(sentence("The cat sat on a mat. one two" if i % 2 else "we talked about it"))
        s.pause(6).mix(speech)
        s.pause(start + 200 - len(s.codes))
    cases.append(case(audio_dir, "en-vad", s, kinds, note="speech, tones, speech; 16 s apart: Silero VAD windows"))

    for name, lang, text_ in (("ml-de", "de", "Guten Tag, Welt!"), ("ml-fr", "fr", "Bonjour le monde. the cat sat on a mat."),
                              ("ml-en", "en", "Hello world. Streaming speech is fun")):
        s = Speaker(ml).pause(2).say([f"<|{lang}|>"] + sentence(text_, synth_nemo.ML_WORDS)).pause(2)
        cases.append(case(audio_dir, name, s, ("tdt",), language=lang))

    with open(os.path.join(audio_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)
