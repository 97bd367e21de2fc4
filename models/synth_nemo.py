"""Synthetic NeMo cache-aware streaming transducers (sherpa-onnx export layout).

The models have exactly the I/O of the real Nemotron Speech Streaming (English)
and Nemotron 3.5 (multilingual) exports -- tensor names, dtypes, ranks, dynamic
axes, metadata keys, cache layout, blank = last id -- but tiny weights whose
behaviour is known in advance, so tests can assert exact transcripts:

* Speech is a sequence of pure tones. Each token of the vocabulary the tests
  use has a tone at the centre frequency of one mel bin (a "class"); silence is
  class 0. The encoder averages the 8 log-mel frames of each 80 ms encoder
  frame (after dropping the 9 pre-encode cache frames, as the real export
  does), picks the loudest class bin, and calls the frame silent below a
  threshold.
* A token is emitted at the onset of each tone. The onset needs the previous
  frame's class, which the encoder keeps in `cache_last_channel`; the running
  count of onsets (its parity) lives in `cache_last_time`. Both caches are
  rolling buffers with the real shapes. An engine that does not feed the
  caches back duplicates or drops tokens at chunk boundaries.
* The prediction network keeps the parity of the number of tokens emitted in
  its LSTM state; the joiner emits the frame's token only while the encoder's
  onset parity differs from the decoder's. An engine that does not feed the
  decoder state back, or does not re-run the decoder after a token, gets a
  different transcript.
* The multilingual encoder also takes `prompt_index`: a "language tag" tone
  becomes the tag token of the detected language under the auto prompt (101),
  and the tag of the forced language otherwise.

Nothing in the engine knows about any of this: it runs the graphs exactly as
it runs the real exports.
"""

import json
import math
import os
import struct
import wave

import onnx_writer as ox
from onnx_writer import FLOAT, INT32, INT64, BOOL, UINT8

SAMPLE_RATE = 16000
HOP = 160
N_FFT = 512
PRE_ENCODE = 9          # pre_encode_cache_size[1] of the real models
SUBSAMPLING = 8
CONV_CONTEXT = 8        # conv_context_size[0] of the real models
THRESHOLD = -6.0        # log-mel level above which a frame is voiced
AUTO_PROMPT = 101
NUM_PROMPTS = 128
I64_MAX = 2**63 - 1

# The 40 language-locales of Nemotron 3.5 (ids are ours: the real ones are not published).
LOCALES = ["en-US", "ja-JP", "ar-AR", "bg-BG", "cs-CZ", "da-DK", "de-DE", "el-GR", "en-GB",
           "es-ES", "es-US", "et-EE", "fi-FI", "fr-CA", "fr-FR", "he-IL", "hi-IN", "hr-HR",
           "hu-HU", "it-IT", "ko-KR", "lt-LT", "lv-LV", "nb-NO", "nl-NL", "nn-NO", "pl-PL",
           "pt-BR", "pt-PT", "ro-RO", "ru-RU", "sk-SK", "sl-SI", "sv-SE", "th-TH", "tr-TR",
           "uk-UA", "vi-VN", "zh-CN", "zh-TW"]

EN_WORDS = ["▁the", "▁quick", "▁brown", "▁fox", "▁jump", "s", "▁over", "▁lazy", "▁dog",
            "▁Hello", ",", "▁world", ".", "▁Stream", "ing", "▁speech", "▁recogn", "ition",
            "▁is", "▁fun", "!", "▁The", "▁cat", "▁sat", "▁on", "▁a", "▁mat", "▁and", "▁we",
            "▁talk", "ed", "▁for", "▁hours", "▁about", "▁model", "▁cache", "▁chunk", "▁to",
            "▁it", "▁very", "▁long", "▁test", "▁one", "▁two"]
ML_TAG_TONES = ["en-US", "de-DE", "fr-FR", "ja-JP"]
ML_WORDS = ["▁Hello", "▁world", ".", "▁Guten", "▁Tag", ",", "▁Welt", "!", "▁Bonjour",
            "▁le", "▁monde", "▁こんにちは", "世界", "。", "▁the", "▁cat", "▁sat", "▁on",
            "▁a", "▁mat", "▁und", "▁die", "▁Katze", "▁et", "▁chat", "▁is", "▁fun",
            "▁Stream", "ing", "▁speech", "▁one", "▁two", "▁drei", "▁vier", "▁cinq",
            "▁six", "▁sieben", "▁huit", "▁neun", "▁dix"]
FIRST_BIN, BIN_STEP = 40, 2   # classes sit on mel bins 40, 42, ..., 126


# --- slaney mel scale (librosa.hz_to_mel / mel_to_hz with htk=False) -----------

def hz_to_mel(f):
    if f < 1000.0:
        return 3.0 * f / 200.0
    return 15.0 + math.log(f / 1000.0) / (math.log(6.4) / 27.0)


def mel_to_hz(m):
    if m < 15.0:
        return 200.0 * m / 3.0
    return 1000.0 * math.exp((math.log(6.4) / 27.0) * (m - 15.0))


def bin_centre_hz(m, n_mels):
    top = hz_to_mel(SAMPLE_RATE / 2)
    return mel_to_hz(top * (m + 1) / (n_mels + 1))


# --- vocabularies --------------------------------------------------------------

class Vocab:
    """tokens.txt content: pieces by id, with blank appended as the last id."""

    def __init__(self, size, placed):
        self.pieces = [f"▁x{i:05d}" for i in range(size)]
        self.pieces[0] = "<unk>"
        for piece, token_id in placed.items():
            self.pieces[token_id] = piece
        self.ids = {p: i for i, p in enumerate(self.pieces)}
        assert len(self.ids) == size, "duplicate pieces"
        self.blank = size

    def write(self, path):
        with open(path, "w", encoding="utf-8") as f:
            for i, p in enumerate(self.pieces):
                f.write(f"{p} {i}\n")
            f.write(f"<blk> {self.blank}\n")


def english_vocab():
    return Vocab(1024, {w: 3 + 23 * k for k, w in enumerate(EN_WORDS)})


def multilingual_vocab():
    placed = {w: 5 + 311 * k for k, w in enumerate(ML_WORDS)}
    placed.update({f"<{loc}>": 13000 + i for i, loc in enumerate(LOCALES)})
    return Vocab(13088, placed)


# --- graphs ----------------------------------------------------------------------

class Spec:
    """One export: chunk geometry and cache shapes, as the metadata states them."""

    def __init__(self, chunk_ms, left_context, layers=2, d_model=16, feat_dim=128,
                 pred_layers=2, pred_hidden=16, multilingual=False, layer_first=False,
                 int8=False):
        self.chunk_ms = chunk_ms
        self.frames_out = chunk_ms // 80                  # encoder frames per chunk
        self.shift = SUBSAMPLING * self.frames_out        # chunk_shift (mel frames)
        self.window = self.shift + PRE_ENCODE             # window_size (mel frames)
        self.left_context, self.layers, self.d_model = left_context, layers, d_model
        self.feat_dim, self.pred_layers, self.pred_hidden = feat_dim, pred_layers, pred_hidden
        self.multilingual, self.layer_first, self.int8 = multilingual, layer_first, int8


def class_bins(n_classes):
    return [FIRST_BIN + BIN_STEP * k for k in range(n_classes)]


def build_encoder(spec, vocab, class_tokens, tag_classes=None, ctc=False):
    """class_tokens[k] = token id of class k+1; tag_classes maps class -> prompt id.
    ctc: the streaming CTC export instead (out[0] = log-probabilities [B, T, V+1]: the
    token at each onset, blank elsewhere)."""
    g = ox.Graph("synthetic_cache_aware_ctc" if ctc else "synthetic_cache_aware_encoder")
    B, L, TC, D, T = "batch", spec.layers, spec.left_context, spec.d_model, spec.frames_out
    if spec.layer_first:
        ch_shape, tm_shape = [L, B, "cache_channel_time", D], [L, B, D, "cache_time_width"]
    else:
        ch_shape, tm_shape = [B, L, "cache_channel_time", D], [B, L, D, "cache_time_width"]
    x = g.input("audio_signal", FLOAT, [B, spec.feat_dim, "time"])
    length = g.input("length", INT64, [B])
    ch = g.input("cache_last_channel", FLOAT, ch_shape)
    tm = g.input("cache_last_time", FLOAT, tm_shape)
    ch_len = g.input("cache_last_channel_len", INT64, [B])
    if spec.multilingual:
        prompt = g.input("prompt_index", INT64, [B])
    if spec.layer_first:   # the graph works batch-first inside, like NeMo's forward_for_export
        ch = g.op("Transpose", [ch], perm=[1, 0, 2, 3])
        tm = g.op("Transpose", [tm], perm=[1, 0, 2, 3])

    def i64(*values):
        return g.const(INT64, [len(values)], values)

    # Drop the pre-encode cache frames, average each 80 ms (8 mel frames).
    body = g.op("Slice", [x, i64(PRE_ENCODE), i64(I64_MAX), i64(2)])
    grouped = g.op("Reshape", [body, i64(0, spec.feat_dim, -1, SUBSAMPLING)])
    frames = g.op("ReduceMean", [grouped], axes=[3], keepdims=0)              # [B,F,T]
    n_classes = len(class_tokens)
    bins = g.op("Gather", [frames, i64(*class_bins(n_classes))], axis=1)       # [B,K,T]
    loudest = g.op("ArgMax", [bins], axis=1, keepdims=0)                       # [B,T]
    level = g.op("ReduceMax", [bins], axes=[1], keepdims=0)
    voiced = g.op("Cast", [g.op("Greater", [level, g.const(FLOAT, [], [THRESHOLD])])], to=INT64)
    cls = g.op("Mul", [g.op("Add", [loudest, i64(1)]), voiced])               # 0 = silence

    # Onsets need the previous frame's class: the last row of cache_last_channel, channel 2.
    prev = g.op("Slice", [ch, i64(0, TC - 1, 2), i64(1, TC, 3), i64(1, 2, 3)])
    prev = g.op("Cast", [g.op("Reshape", [prev, i64(-1, 1)])], to=INT64)
    seq = g.op("Concat", [prev, cls], axis=1)
    before = g.op("Slice", [seq, i64(0), i64(-1), i64(1)])
    changed = g.op("Not", [g.op("Equal", [cls, before])])
    onset = g.op("Cast", [g.op("And", [changed, g.op("Greater", [cls, i64(0)])])], to=INT64)
    # The onset count's parity carries over in the newest column of cache_last_time, channel 1.
    parity0 = g.op("Slice", [tm, i64(0, 1, CONV_CONTEXT - 1), i64(1, 2, CONV_CONTEXT), i64(1, 2, 3)])
    parity0 = g.op("Cast", [g.op("Reshape", [parity0, i64(-1, 1)])], to=INT64)
    count = g.op("Add", [g.op("CumSum", [onset, g.const(INT64, [], [1])]), parity0])
    parity = g.op("Mod", [count, i64(2)])

    table = g.const(INT64, [n_classes + 1], [vocab.blank] + list(class_tokens))
    token = g.op("Gather", [table, cls], axis=0)                               # [B,T]
    if spec.multilingual:
        is_tag = g.const(BOOL, [n_classes + 1], [c in tag_classes for c in range(n_classes + 1)])
        tone_prompt = g.const(INT64, [n_classes + 1],
                              [tag_classes.get(c, 0) for c in range(n_classes + 1)])
        prompt_col = g.op("Reshape", [prompt, i64(-1, 1)])
        auto = g.op("Equal", [prompt_col, i64(AUTO_PROMPT)])
        chosen = g.op("Where", [auto, g.op("Gather", [tone_prompt, cls], axis=0), prompt_col])
        tags = [vocab.blank] * NUM_PROMPTS
        for i, loc in enumerate(LOCALES):
            tags[i] = vocab.ids[f"<{loc}>"]
        tag_token = g.op("Gather", [g.const(INT64, [NUM_PROMPTS], tags), chosen], axis=0)
        token = g.op("Where", [g.op("Gather", [is_tag, cls], axis=0), tag_token, token])

    # outputs [B, D, T]: channel 0 token id, 1 onset parity, 2 class, the rest zero.
    chans = [g.op("Unsqueeze", [g.op("Cast", [v], to=FLOAT), i64(1)]) for v in (token, parity, cls)]
    out = g.op("Concat", chans, axis=1)
    out = g.op("Pad", [out, i64(0, 0, 0, 0, D - 3, 0)], outputs=1 if ctc else ["outputs"])
    if ctc:
        V1 = vocab.blank + 1
        emitted = g.op("Where", [g.op("Cast", [onset], to=BOOL), token, i64(vocab.blank)])
        onehot = g.op("OneHot", [emitted, g.const(INT64, [], [V1]), g.const(FLOAT, [2], [0.0, 20.0])], axis=-1)
        g.op("LogSoftmax", [onehot], outputs=["logprobs"], axis=-1)
    g.op("Div", [g.op("Sub", [length, i64(PRE_ENCODE)]), i64(SUBSAMPLING)], outputs=["encoded_lengths"])

    # Rolling caches: append this chunk's frames, keep the newest TC rows / CONV_CONTEXT columns.
    rows = g.op("Unsqueeze", [g.op("Transpose", [out], perm=[0, 2, 1]), i64(1)])     # [B,1,T,D]
    rows = g.op("Concat", [rows] * L, axis=1)
    ch_next = g.op("Slice", [g.op("Concat", [ch, rows], axis=2), i64(-TC), i64(I64_MAX), i64(2)])
    cols = g.op("Concat", [g.op("Unsqueeze", [out, i64(1)])] * L, axis=1)           # [B,L,D,T]
    tm_next = g.op("Slice", [g.op("Concat", [tm, cols], axis=3),
                             i64(-CONV_CONTEXT), i64(I64_MAX), i64(3)])
    if spec.layer_first:
        ch_next = g.op("Transpose", [ch_next], perm=[1, 0, 2, 3])
        tm_next = g.op("Transpose", [tm_next], perm=[1, 0, 2, 3])
    g.op("Identity", [ch_next], outputs=["cache_last_channel_next"])
    g.op("Identity", [tm_next], outputs=["cache_last_time_next"])
    g.op("Min", [g.op("Add", [ch_len, i64(T)]), i64(TC)], outputs=["cache_last_channel_next_len"])

    if ctc:
        g.output("logprobs", FLOAT, [B, "logprobs_dynamic_axes_1", vocab.blank + 1])
    else:
        g.output("outputs", FLOAT, [B, D, "outputs_dynamic_axes_1"])
    g.output("encoded_lengths", INT64, [B])
    g.output("cache_last_channel_next", FLOAT, ch_shape)
    g.output("cache_last_time_next", FLOAT, tm_shape)
    g.output("cache_last_channel_next_len", INT64, [B])
    return g


def build_decoder(spec, vocab, neutral=()):
    """NeMo RNNTDecoder export: LSTM state in, state out, auto-generated state names.
    Tokens in `neutral` leave the parity unchanged."""
    g = ox.Graph("synthetic_prediction_network")
    Lp, H = spec.pred_layers, spec.pred_hidden
    targets = g.input("targets", INT32, ["batch", 1])
    target_length = g.input("target_length", INT32, ["batch"])
    h = g.input("states.1", FLOAT, [Lp, "batch", H])
    c = g.input("onnx::LSTM_3", FLOAT, [Lp, "batch", H])

    def i64(*values):
        return g.const(INT64, [len(values)], values)

    token = g.op("Reshape", [g.op("Cast", [targets], to=INT64), i64(-1)])
    is_token = g.op("Not", [g.op("Equal", [token, i64(vocab.blank)])])
    for t in neutral:
        is_token = g.op("And", [is_token, g.op("Not", [g.op("Equal", [token, i64(t)])])])
    is_token = g.op("Cast", [is_token], to=FLOAT)
    old = g.op("Reshape", [g.op("Slice", [h, i64(0, 0), i64(1, 1), i64(0, 2)]), i64(-1)])
    parity = g.op("Abs", [g.op("Sub", [old, is_token])])        # parity XOR "a token was fed"
    n_old = g.op("Reshape", [g.op("Slice", [c, i64(0, 0), i64(1, 1), i64(0, 2)]), i64(-1)])
    n_new = g.op("Add", [n_old, is_token])                      # tokens fed so far

    def state(v):   # [B] -> [Lp, B, H] with v in channel 0
        col = g.op("Pad", [g.op("Unsqueeze", [v, i64(1)]), i64(0, 0, 0, H - 1)])
        return g.op("Concat", [g.op("Unsqueeze", [col, i64(0)])] * Lp, axis=0)

    h_next = state(parity)
    g.op("Unsqueeze", [g.op("Pad", [g.op("Unsqueeze", [parity, i64(1)]), i64(0, 0, 0, H - 1)]), i64(2)],
         outputs=["outputs"])
    g.op("Identity", [target_length], outputs=["prednet_lengths"])
    g.op("Identity", [h_next], outputs=["states"])
    g.op("Identity", [state(n_new)], outputs=["162"])
    g.output("outputs", FLOAT, ["batch", H, 1])
    g.output("prednet_lengths", INT32, ["batch"])
    g.output("states", FLOAT, [Lp, "batch", H])
    g.output("162", FLOAT, [Lp, "batch", H])
    return g


def build_joiner(spec, vocab):
    """NeMo RNNTJoint export: [B,D,1] x [B,H,1] -> [B,1,1,V+1] logits."""
    g = ox.Graph("synthetic_joint")
    V1 = vocab.blank + 1
    enc = g.input("encoder_outputs", FLOAT, ["batch", spec.d_model, 1])
    dec = g.input("decoder_outputs", FLOAT, ["batch", spec.pred_hidden, 1])

    def i64(*values):
        return g.const(INT64, [len(values)], values)

    def channel(t, k):
        return g.op("Reshape", [g.op("Slice", [t, i64(k, 0), i64(k + 1, 1), i64(1, 2)]), i64(-1)])

    token = g.op("Cast", [channel(enc, 0)], to=INT64)
    emit = g.op("Abs", [g.op("Sub", [channel(enc, 1), channel(dec, 0)])])   # parities differ
    onehot = g.op("OneHot", [token, g.const(INT64, [], [V1]), g.const(FLOAT, [2], [0.0, 1.0])], axis=-1)
    if spec.int8:   # weights stored as QUInt8, as quantize_dynamic stores them
        scale = g.op("DequantizeLinear", [g.const(UINT8, [], [20]), g.const(FLOAT, [], [1.0]),
                                          g.const(UINT8, [], [0])])
        bias = g.op("DequantizeLinear", [g.const(UINT8, [V1], [0] * vocab.blank + [10]),
                                         g.const(FLOAT, [], [1.0]), g.const(UINT8, [], [0])])
    else:
        scale = g.const(FLOAT, [], [20.0])
        bias = g.const(FLOAT, [V1], [0.0] * vocab.blank + [10.0])
    weight = g.op("Unsqueeze", [g.op("Mul", [emit, scale]), i64(1)])
    logits = g.op("Add", [g.op("Mul", [onehot, weight]), bias])
    g.op("Reshape", [logits, i64(-1, 1, 1, V1)], outputs=["outputs"])
    g.output("outputs", FLOAT, ["batch", 1, 1, V1])
    return g


def metadata(spec, vocab, url, model_type):
    meta = {
        "vocab_size": vocab.blank,
        "window_size": spec.window,
        "chunk_size_ms": spec.chunk_ms,
        "chunk_shift": spec.shift,
        "normalize_type": "",
        "cache_last_channel_dim1": spec.layers,
        "cache_last_channel_dim2": spec.left_context,
        "cache_last_channel_dim3": spec.d_model,
        "cache_last_time_dim1": spec.layers,
        "cache_last_time_dim2": spec.d_model,
        "cache_last_time_dim3": CONV_CONTEXT,
        "pred_rnn_layers": spec.pred_layers,
        "pred_hidden": spec.pred_hidden,
        "subsampling_factor": SUBSAMPLING,
        "feat_dim": spec.feat_dim,
        "model_type": model_type,
        "version": "1",
        "model_author": "NeMo",
        "url": url,
        "comment": "Synthetic test model (sotto models/synth_nemo.py): tone-coded tokens",
    }
    if spec.multilingual:
        prompts = {loc: i for i, loc in enumerate(LOCALES)}
        prompts["auto"] = AUTO_PROMPT
        meta["prompt_dictionary"] = json.dumps(prompts, sort_keys=True)
        meta["auto_prompt_id"] = AUTO_PROMPT
    return meta


def write_ctc_export(out_dir, spec, vocab, class_tokens, url):
    """sherpa-onnx's export-onnx-ctc.py: one model.onnx, the transducer metadata without
    the prediction network's (and without chunk_size_ms and feat_dim)."""
    os.makedirs(out_dir, exist_ok=True)
    meta = metadata(spec, vocab, url, "EncDecHybridRNNTCTCBPEModel")
    for key in ("pred_rnn_layers", "pred_hidden", "chunk_size_ms", "feat_dim"):
        del meta[key]
    meta["comment"] = "Only the CTC branch is exported"
    ox.save(build_encoder(spec, vocab, class_tokens, ctc=True),
            os.path.join(out_dir, "model.int8.onnx" if spec.int8 else "model.onnx"), metadata=meta)
    vocab.write(os.path.join(out_dir, "tokens.txt"))


def write_export(out_dir, spec, vocab, class_tokens, url, model_type, tag_classes=None,
                 external_data=False, half=False):
    """half: an fp16 export (*.fp16.onnx) whose float inputs and outputs are float16."""
    os.makedirs(out_dir, exist_ok=True)
    suffix = ".fp16.onnx" if half else ".int8.onnx" if spec.int8 else ".onnx"
    graphs = [build_encoder(spec, vocab, class_tokens, tag_classes), build_decoder(spec, vocab),
              build_joiner(spec, vocab)]
    if half:
        graphs = [g.half_io() for g in graphs]
    ox.save(graphs[0], os.path.join(out_dir, "encoder" + suffix),
            metadata=metadata(spec, vocab, url, model_type),
            external_data="encoder.data" if external_data else None)
    ox.save(graphs[1], os.path.join(out_dir, "decoder" + suffix))
    ox.save(graphs[2], os.path.join(out_dir, "joiner" + suffix))
    vocab.write(os.path.join(out_dir, "tokens.txt"))


# --- speech: tone sequences ---------------------------------------------------------

class Speaker:
    """Turns a token sequence into audio the synthetic models decode back exactly."""

    def __init__(self, n_mels, class_of_piece):
        self.n_mels, self.class_of_piece = n_mels, class_of_piece
        self.samples, self.events = [], []

    def frames(self):
        return len(self.samples) // (HOP * SUBSAMPLING)

    def pause(self, n_frames):
        self.samples.extend([0.0] * (n_frames * HOP * SUBSAMPLING))

    def say(self, pieces, tone_frames=(2, 3), gap_frames=1):
        for i, piece in enumerate(pieces):
            cls = self.class_of_piece[piece]
            freq = bin_centre_hz(FIRST_BIN + BIN_STEP * (cls - 1), self.n_mels)
            n = tone_frames[i % len(tone_frames)] * HOP * SUBSAMPLING
            self.events.append((piece, self.frames()))
            start = len(self.samples)
            self.samples.extend(0.3 * math.sin(2 * math.pi * freq * (start + t) / SAMPLE_RATE)
                                for t in range(n))
            self.pause(gap_frames)

    def write(self, path):
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(b"".join(struct.pack("<h", int(round(s * 32767))) for s in self.samples))


def detokenize(pieces):
    return "".join(pieces).replace("▁", " ").strip()


def write_case(audio_dir, cases, name, speaker, language=None, note=""):
    path = os.path.join(audio_dir, name + ".wav")
    speaker.write(path)
    pieces = [p for p, _ in speaker.events]
    words = [p for p in pieces if not (p.startswith("<") and p.endswith(">"))]
    cases.append({
        "name": name, "wav": name + ".wav", "text": detokenize(words),
        "tokens": pieces, "starts": [round(f * 0.08, 2) for _, f in speaker.events],
        "duration": round(len(speaker.samples) / SAMPLE_RATE, 4), "language": language,
        "note": note,
    })


def sentence(text, vocab_words):
    """Spell text with the pieces of a test vocabulary (greedy longest match per word)."""
    pieces = []
    for word in text.split():
        rest, first = word, True
        while rest:
            fits = [p for p in vocab_words if p.startswith("▁") == first
                    and rest.startswith(p.lstrip("▁"))]
            if not fits:
                raise ValueError(f"cannot spell {word!r} with the test vocabulary")
            best = max(fits, key=len)
            pieces.append(best)
            rest, first = rest[len(best.lstrip("▁")):], False
    return pieces


def generate(out):
    en_vocab, ml_vocab = english_vocab(), multilingual_vocab()
    en_tokens = [en_vocab.ids[w] for w in EN_WORDS]
    url = "https://huggingface.co/nvidia/nemotron-speech-streaming-en-0.6b"
    for ms in (80, 160, 560, 1120):
        spec = Spec(ms, left_context=70, int8=ms >= 560)
        write_export(os.path.join(out, "nemotron-en", f"{ms}ms"), spec, en_vocab, en_tokens, url,
                     "EncDecHybridRNNTCTCBPEModel", external_data=ms == 160)
    write_export(os.path.join(out, "nemotron-en-layer-first"), Spec(160, 70, layer_first=True),
                 en_vocab, en_tokens, url, "EncDecHybridRNNTCTCBPEModel")
    write_export(os.path.join(out, "nemotron-en-fp16"), Spec(160, 70), en_vocab, en_tokens, url,
                 "EncDecHybridRNNTCTCBPEModel", half=True)
    ctc_url = "https://catalog.ngc.nvidia.com/orgs/nvidia/teams/nemo/models/stt_en_fastconformer_hybrid_large_streaming_multi"
    for ms in (160, 560):
        write_ctc_export(os.path.join(out, "nemo-ctc-streaming", f"{ms}ms"), Spec(ms, 70, int8=ms == 560),
                         en_vocab, en_tokens, ctc_url)

    ml_classes = ML_TAG_TONES + ML_WORDS
    ml_tokens = [ml_vocab.ids[f"<{w}>"] if w in ML_TAG_TONES else ml_vocab.ids[w] for w in ml_classes]
    tag_classes = {k + 1: LOCALES.index(loc) for k, loc in enumerate(ML_TAG_TONES)}
    ml_url = "https://huggingface.co/nvidia/nemotron-3.5-asr-streaming-0.6b"
    for ms in (80, 320, 560, 1120):
        spec = Spec(ms, left_context=56, multilingual=True, int8=True)
        write_export(os.path.join(out, "nemotron-multilingual", f"{ms}ms"), spec, ml_vocab,
                     ml_tokens, ml_url, "EncDecRNNTBPEModelWithPrompt", tag_classes)

    # Speech for the tests, with what a correct engine must return.
    audio_dir = os.path.join(out, "nemo-audio")
    os.makedirs(audio_dir, exist_ok=True)
    cases = []
    en_class = {w: k + 1 for k, w in enumerate(EN_WORDS)}
    ml_class = {(f"<{w}>" if w in ML_TAG_TONES else w): k + 1 for k, w in enumerate(ml_classes)}

    s = Speaker(128, en_class)
    s.pause(3)
    s.say(sentence("the quick brown fox jumps over the lazy dog", EN_WORDS))
    s.pause(2)
    write_case(audio_dir, cases, "en-fox", s)

    s = Speaker(128, en_class)
    s.pause(1)
    s.say(sentence("Hello, world. Streaming speech recognition is fun!", EN_WORDS), tone_frames=(3, 2, 4))
    write_case(audio_dir, cases, "en-hello", s, note="tones of 2-4 frames straddle chunk boundaries")

    s = Speaker(128, en_class)   # repeated pieces need the decoder state to be fed back
    s.pause(2)
    s.say(sentence("the the dog dogs one two one two", EN_WORDS), tone_frames=(3,), gap_frames=2)
    write_case(audio_dir, cases, "en-repeats", s)

    s = Speaker(128, en_class)   # three utterances separated by long pauses (endpoints)
    s.pause(5)
    s.say(sentence("The cat sat on a mat.", EN_WORDS))
    s.pause(20)
    s.say(sentence("we talked for hours about it", EN_WORDS))
    s.pause(40)
    s.say(sentence("one two", EN_WORDS))
    s.pause(10)
    write_case(audio_dir, cases, "en-endpoints", s,
               note="pauses of 1.6 s and 3.2 s: endpoint rule 2 fires after each utterance")

    s = Speaker(128, en_class)   # longer than 30 s
    s.pause(2)
    text = ("we talked for hours about the model cache and the chunk, "
            "it is a very long test, one two one two.")
    for i in range(6):
        s.say(sentence(text, EN_WORDS), tone_frames=(2, 3))
        s.pause(3 + i)
    write_case(audio_dir, cases, "en-long", s, note="over 30 s")

    s = Speaker(128, ml_class)
    s.pause(2)
    s.say(["<de-DE>"] + sentence("Guten Tag, Welt!", ML_WORDS))
    s.pause(2)
    write_case(audio_dir, cases, "ml-de", s, language="de-DE")

    s = Speaker(128, ml_class)
    s.pause(2)
    s.say(["<ja-JP>", "▁こんにちは", "世界", "。"])
    s.pause(2)
    write_case(audio_dir, cases, "ml-ja", s, language="ja-JP")

    s = Speaker(128, ml_class)
    s.pause(2)
    s.say(["<fr-FR>"] + sentence("Bonjour le monde. the cat sat on a mat.", ML_WORDS))
    s.pause(2)
    write_case(audio_dir, cases, "ml-fr", s, language="fr-FR")

    with open(os.path.join(audio_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)
    # The same clips as an eval/bench manifest (path, lang, reference).
    with open(os.path.join(audio_dir, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("path\tlang\treference\n")
        for c in cases:
            lang = (c["language"] or "en-US").split("-")[0]
            f.write(f"{c['wav']}\t{lang}\t{c['text']}\n")
