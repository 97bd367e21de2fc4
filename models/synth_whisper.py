"""Synthetic Whisper models in the sherpa-onnx and Hugging Face (Optimum) layouts.

The graphs have exactly the I/O of the real exports -- tensor names, dtypes, ranks,
dynamic axes, metadata keys, file names, tokenizer files, special-token ids -- but tiny
weights whose behaviour is known in advance, so tests can assert exact transcripts:

* Speech is a sequence of pure tones, each at the centre of one mel bin (a "class").
  The encoder averages each pair of mel frames into the 20 ms audio positions Whisper's
  encoder has, calls a position voiced when its loudest class bin is loud enough, and
  notes the *onsets* (a new class begins; never at position 0 of a window, so a tone
  that began before the window is not heard again).
* The onsets of word and marker tones, in time order, form the window's "script". The
  encoder writes it into its output (the cross-attention K/V for sherpa, the hidden
  states for Hugging Face): entry j = the class and position of the j-th onset. It also
  writes the number of entries, the language tone heard (if any), whether the window is
  silent and whether it holds the "stutter" tone.
* The decoder finds the end of the prompt in its own token history (kept in the
  self-attention cache, so an engine that does not feed the cache back, or passes the
  wrong offset, gets garbage), and predicts script entry j for generated token j:
  a word tone gives its word token, a marker tone gives the timestamp token of its own
  position (<|0.00|> + position), and after the script comes <|endoftext|>. So the
  output is "<|t0|> word word <|t1|><|t2|> word <|t3|>" exactly as Whisper writes it.
* The task token chooses the table: translate gives the English word of each tone.
  A prompt holding the token " Kafka" (before <|startoftranscript|>) makes the
  ambiguous tone spell " Kafka" instead of " cube" -- so --prompt and conditioning on
  previous text both show in the transcript.
* After <|startoftranscript|> the multilingual decoder puts logit 8 on the detected
  language (the language tone, else English) and 0 on every other language, so the
  language probability is e^8 / (e^8 + languages - 1).
* A silent window "hallucinates" " Thank you." with low confidence (each token has four
  rivals: average log-probability -1.23) and a high <|nospeech|> logit, so the
  no-speech rule must drop it. The stutter tone makes the first timestamp a choice:
  <|0.00|> (slightly favoured) leads to " la" repeated 60 times (compression ratio far
  above 2.4), any of the 50 other initial timestamps leads to the clean script -- greedy
  decoding at temperature 0 must fall back to sampling, while beam search finds the
  clean text.

Nothing in the engine knows about any of this: it runs the graphs exactly as it runs
real exports. Test audio (with what a correct engine must return) is written beside the
models; expected long-form results come from a short simulation of Whisper's seek rules.
"""

import base64
import json
import math
import os
import struct
import wave
import zlib

import onnx_writer as ox
from onnx_writer import FLOAT, INT8, INT64, BOOL

SAMPLE_RATE = 16000
POSITION = 320                 # samples per audio position (20 ms, one timestamp step)
N_TEXT_CTX = 448
D = 16                         # n_text_state / d_model of the synthetic models
HEADS, HEAD_DIM = 2, 8
LAYERS = 2
I64_MAX = 2**63 - 1

FLOOR = -30.0                  # logit of every token a step does not mention
MAIN = 10.0                    # logit of the token the script asks for
LANG_BONUS = 8.0               # logit of the detected language (others 0)
NO_SPEECH_SILENT = 16.0        # <|nospeech|> logit after <|startoftranscript|> in a silent window
VOICED = 0.65                  # normalised log-mel level of a class bin that counts as a tone (test tones ~1.0)
STUTTER_REPEATS = 60

# Tone classes (1-based; 0 = nothing). Kinds: 1 word, 2 marker, 3 language, 4 stutter.
MARKER, STUTTER, LANG_DE, LANG_FR = 1, 2, 3, 4
WORDS = [  # (transcribe, translate, with " Kafka" in the prompt)
    (" Hello", " Hello", None), (" world", " world", None), (".", ".", None), (",", ",", None),
    ("!", "!", None), (" The", " The", None), (" cat", " cat", None), (" sat", " sat", None),
    (" on", " on", None), (" the", " the", None), (" mat", " mat", None), (" we", " we", None),
    (" talked", " talked", None), (" about", " about", None), (" cube", " cube", " Kafka"),
    (" Kafka", " Kafka", None), (" Guten", " Good", None), (" Tag", " day", None),
    (" Welt", " world", None), (" Bonjour", " Hello", None), (" le", " the", None),
    (" monde", " world", None), (" one", " one", None), (" two", " two", None),
]
CLASSES = 4 + len(WORDS)                     # 28
WORD_CLASS = {w[0]: 5 + i for i, w in enumerate(WORDS)}
LANGUAGE_OF_CLASS = {LANG_DE: "de", LANG_FR: "fr"}
TRIGGER = " Kafka"
HALLUCINATION = [" Thank", " you", "."]
HALLUCINATION_RIVALS = [" Good", " Hello", " Very", " Nice"]
STUTTER_WORD, STUTTER_RIVALS = " la", [" na", " da"]

LANGUAGES = ["en", "zh", "de", "es", "ru", "ko", "fr", "ja", "pt", "tr", "pl", "ca", "nl", "ar", "sv",
             "it", "id", "hi", "fi", "vi", "he", "uk", "el", "ms", "cs", "ro", "da", "hu", "ta", "no",
             "th", "ur", "hr", "bg", "lt", "la", "mi", "ml", "cy", "sk", "te", "fa", "lv", "bn", "sr",
             "az", "sl", "kn", "et", "mk", "br", "eu", "is", "hy", "ne", "mn", "bs", "kk", "sq", "sw",
             "gl", "mr", "pa", "si", "km", "sn", "yo", "so", "af", "oc", "ka", "be", "tg", "sd", "gu",
             "am", "yi", "lo", "uz", "fo", "ht", "ps", "tk", "nn", "mt", "sa", "lb", "my", "bo", "tl",
             "mg", "as", "tt", "haw", "ln", "ha", "ba", "jw", "su", "yue"]


# --- vocabulary and special tokens --------------------------------------------------

def shared_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("SOTTO_SHARED", os.path.join(here, "..", "..", "shared"))


class Vocabulary:
    """Whisper's real BPE ranks (read from shared/) and the special tokens after them."""

    def __init__(self, name, n_vocab):
        path = os.path.join(shared_dir(), "models", "whisper-assets", name + ".tiktoken")
        if not os.path.exists(path):
            raise SystemExit(f"synth_whisper: {path} is missing; set SOTTO_SHARED to the shared data folder")
        self.lines = [line.strip() for line in open(path, encoding="ascii") if line.strip()]
        self.ranks = {}
        for line in self.lines:
            token, rank = line.split()
            self.ranks[base64.b64decode(token)] = int(rank)
        self.n_vocab = n_vocab
        self.multilingual = n_vocab >= 51865
        self.eot = len(self.lines)
        languages = n_vocab - self.eot - 8 - 1501
        self.languages = LANGUAGES[:languages]
        self.sot = self.eot + 1
        t = self.sot + 1 + languages
        self.translate, self.transcribe, self.sot_lm, self.sot_prev = t, t + 1, t + 2, t + 3
        self.no_speech, self.no_timestamps, self.timestamp_begin = t + 4, t + 5, t + 6
        assert self.timestamp_begin + 1501 == n_vocab

    def token(self, text):
        """The id of a piece that is one token in this vocabulary."""
        return self.ranks[text.encode("utf-8")]

    def language_token(self, code):
        return self.sot + 1 + self.languages.index(code)

    def bpe(self, piece, max_rank=None):
        parts = [bytes([b]) for b in piece]
        while len(parts) > 1:
            best = None
            for i in range(len(parts) - 1):
                r = self.ranks.get(parts[i] + parts[i + 1])
                if r is not None and (max_rank is None or r < max_rank) and (best is None or r < best[0]):
                    best = (r, i)
            if best is None:
                break
            i = best[1]
            parts[i:i + 2] = [parts[i] + parts[i + 1]]
        return parts

    def encode_piece(self, text):
        """tiktoken's encoding of one pre-tokenized piece (the symbols below are one piece each)."""
        b = text.encode("utf-8")
        if b in self.ranks:
            return [self.ranks[b]]
        return [self.ranks[p] for p in self.bpe(b)]

    def non_speech_tokens(self):
        """openai/whisper's Tokenizer.non_speech_tokens (sherpa-onnx stores it in the metadata)."""
        symbols = list('"#()*+/:;<=>@[\\]^_`{|}~「」『』')
        symbols += "<< >> <<< >>> -- --- -( -[ (' (\" (( )) ((( ))) [[ ]] {{ }} ♪♪ ♪♪♪".split()
        musical = set("♩♪♫♬♭♮♯")
        result = {self.encode_piece(" -")[0], self.encode_piece(" '")[0]}
        for symbol in symbols + sorted(musical):
            for tokens in (self.encode_piece(symbol), self.encode_piece(" " + symbol)):
                if len(tokens) == 1 or symbol in musical:
                    result.add(tokens[0])
        return sorted(result)

    def specials(self):
        names = ["<|endoftext|>", "<|startoftranscript|>"] + [f"<|{c}|>" for c in self.languages]
        names += ["<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nospeech|>",
                  "<|notimestamps|>"] + [f"<|{i * 0.02:.2f}|>" for i in range(1501)]
        return {name: self.eot + i for i, name in enumerate(names)}

    def merges(self):
        """Hugging Face merges derived from the ranks: the two parts BPE builds each token from."""
        out = []
        for token, rank in sorted(self.ranks.items(), key=lambda kv: kv[1]):
            if len(token) < 2:
                continue
            parts = self.bpe(token, max_rank=rank)
            if len(parts) == 2:
                out.append((parts[0], parts[1]))
        return out


def byte_level_alphabet():
    """GPT-2's bytes_to_unicode: every byte as a printable character."""
    chars, n = {}, 0
    for b in range(256):
        if ord("!") <= b <= ord("~") or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + n)
            n += 1
    return chars


def byte_level(token, alphabet):
    return "".join(alphabet[b] for b in token)


class Tables:
    """Per-vocabulary lookup tables of the graphs, indexed by tone class."""

    def __init__(self, vocab):
        self.kind = [0] * (CLASSES + 1)
        self.transcribe = [0] * (CLASSES + 1)
        self.translate = [0] * (CLASSES + 1)
        self.prompted = [0] * (CLASSES + 1)
        self.kind[MARKER], self.kind[STUTTER], self.kind[LANG_DE], self.kind[LANG_FR] = 2, 4, 3, 3
        for i, (tx, tr, alt) in enumerate(WORDS):
            c = 5 + i
            self.kind[c] = 1
            if tx.encode() in vocab.ranks:     # German/French words exist only in the multilingual vocabulary
                self.transcribe[c] = vocab.token(tx)
                self.translate[c] = vocab.token(tr)
                self.prompted[c] = vocab.token(alt or tx)
        self.language_classes = [LANG_DE, LANG_FR]
        self.language_index = [LANGUAGES.index(LANGUAGE_OF_CLASS[c]) for c in self.language_classes]


def class_bins(n_mels):
    """Mel bins of the tone classes: 28 neighbouring bins high in the spectrum (from about
    2.4 kHz for 80 mels, 3.8 kHz for 128), below the last 4 bins. Being neighbours, a sweep
    through them never leaves an isolated tone; being high, they stay clear of the
    low-passed speech that VAD test audio mixes in."""
    return list(range(n_mels - CLASSES - 4, n_mels - 4))


# --- slaney mel scale ------------------------------------------------------------------

def hz_to_mel(f):
    return 3.0 * f / 200.0 if f < 1000.0 else 15.0 + math.log(f / 1000.0) / (math.log(6.4) / 27.0)


def mel_to_hz(m):
    return 200.0 * m / 3.0 if m < 15.0 else 1000.0 * math.exp((math.log(6.4) / 27.0) * (m - 15.0))


def bin_centre_hz(b, n_mels):
    return mel_to_hz(hz_to_mel(SAMPLE_RATE / 2) * (b + 1) / (n_mels + 1))


def bin_peak_weight(b, n_mels):
    """Slaney normalisation: the triangle of bin b peaks at 2 / (f[b+2] - f[b])."""
    top = hz_to_mel(SAMPLE_RATE / 2)
    lo, hi = mel_to_hz(top * b / (n_mels + 1)), mel_to_hz(top * (b + 2) / (n_mels + 1))
    return 2.0 / (hi - lo)


# --- graph helpers ----------------------------------------------------------------------

class Sub(ox.Graph):
    """A subgraph whose generated names cannot clash with the outer graph's."""

    def _fresh(self, prefix):
        self._count += 1
        return f"{self.name}_{prefix}_{self._count}"


class LargeTensorsOutside(ox.Graph):
    """Stores only initializers of 1 KB or more in the external data file, as onnx's
    save_as_external_data does by default (shape constants must stay inline for ONNX
    Runtime's shape inference)."""

    def encode(self, external=None):
        if external is None:
            return super().encode()
        out = b"".join(ox._bytes(1, n) for n in self.nodes) + ox._bytes(2, self.name)
        data = bytearray()
        for t in self.initializers:
            if len(t.raw) >= 1024:
                out += ox._bytes(5, t.encode((external, len(data))))
                data += t.raw
                data += b"\0" * (-len(data) % 64)
            else:
                out += ox._bytes(5, t.encode())
        out += b"".join(ox._bytes(11, i) for i in self.inputs)
        out += b"".join(ox._bytes(12, o) for o in self.outputs)
        self.external_data = bytes(data)
        return out


def i64(g, *values):
    return g.const(INT64, [len(values)], values)


def scalar(g, dtype, value):
    return g.const(dtype, [], [value])


def channel(g, f, c):
    """[B, P, C] float -> channel c as [B, P] int64."""
    s = g.op("Slice", [f, i64(g, c), i64(g, c + 1), i64(g, 2)])
    return g.op("Cast", [g.op("Squeeze", [s, i64(g, 2)])], to=INT64)


def first_column(g, x):
    """[B, P] -> [B, 1]."""
    return g.op("Slice", [x, i64(g, 0), i64(g, 1), i64(g, 1)])


def int8_side_path(g, x):
    """What quantize_dynamic leaves in a graph (DynamicQuantizeLinear + MatMulInteger), on a
    slice of x [B, R, C >= 4]; returns a float [B, 1, 1] zero that depends on x, so ORT
    really runs the int8 kernels."""
    part = g.op("Slice", [x, i64(g, 0), i64(g, 4), i64(g, 2)])
    q, q_scale, q_zero = g.op("DynamicQuantizeLinear", [part], outputs=3)
    w = g.const(INT8, [4, 4], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
    y = g.op("MatMulInteger", [q, w, q_zero, g.const(INT8, [], [0])])
    y = g.op("Mul", [g.op("Cast", [y], to=FLOAT), q_scale])
    return g.op("Mul", [g.op("ReduceMax", [y], axes=[1, 2], keepdims=1), scalar(g, FLOAT, 0.0)])


# --- encoder ------------------------------------------------------------------------------

def encoder_core(g, mel, n_mels, tables, int8=False):
    """mel [B, n_mels, T] -> script features [B, T/2, D] (see the module docstring)."""
    K = CLASSES
    pairs = g.op("Reshape", [mel, i64(g, 0, n_mels, -1, 2)])
    x = g.op("ReduceMean", [pairs], axes=[3], keepdims=0)                       # [B, M, P]
    xc = g.op("Gather", [x, i64(g, *class_bins(n_mels))], axis=1)              # [B, K, P]
    peak = g.op("ReduceMax", [xc], axes=[1], keepdims=0)                        # [B, P]
    voiced = g.op("Greater", [peak, scalar(g, FLOAT, VOICED)])
    loudest = g.op("ArgMax", [xc], axis=1, keepdims=0)
    cls = g.op("Mul", [g.op("Add", [loudest, scalar(g, INT64, 1)]), g.op("Cast", [voiced], to=INT64)])
    # A tone is heard when it is isolated: silence before it and silence after it (a sweep
    # or a chord runs from class to class without silence and is noise). Position 0 is
    # compared with itself, so a tone already sounding when the window starts is not heard.
    prev = g.op("Concat", [first_column(g, cls), g.op("Slice", [cls, i64(g, 0), i64(g, -1), i64(g, 1)])], axis=1)
    zero = scalar(g, INT64, 0)
    change = g.op("Not", [g.op("Equal", [cls, prev])])
    from_silence = g.op("And", [g.op("Greater", [cls, zero]), g.op("Equal", [prev, zero])])
    class_to_class = g.op("And", [change, g.op("And", [g.op("Greater", [cls, zero]), g.op("Greater", [prev, zero])])])
    # Does the next change after position t go straight into another class? Number the changes
    # from the end, note which are class-to-class, and look up the one after t.
    changes = g.op("Cast", [change], to=INT64)
    rank = g.op("CumSum", [changes, scalar(g, INT64, 1)], reverse=1)
    after = g.op("CumSum", [changes, scalar(g, INT64, 1)], reverse=1, exclusive=1)
    slots = g.op("Expand", [zero, g.op("Concat", [g.op("Gather", [g.op("Shape", [cls]), i64(g, 0)]),
                                                 g.op("Add", [g.op("Gather", [g.op("Shape", [cls]), i64(g, 1)]),
                                                              i64(g, 1)])], axis=0)])
    bad = g.op("ScatterElements", [slots, g.op("Where", [change, rank, zero]),
                                   g.op("Cast", [class_to_class], to=INT64)], axis=1)
    next_bad = g.op("Greater", [g.op("GatherElements", [bad, after], axis=1), zero])
    onset = g.op("And", [from_silence, g.op("Not", [next_bad])])
    kind = g.op("Gather", [g.const(INT64, [K + 1], tables.kind), cls], axis=0)
    is_event = g.op("And", [onset, g.op("Or", [g.op("Equal", [kind, scalar(g, INT64, 1)]),
                                              g.op("Equal", [kind, scalar(g, INT64, 2)])])])
    # The script: event positions in time order (TopK on "P - position", non-events last).
    p_count = g.op("Gather", [g.op("Shape", [cls]), i64(g, 1)])                 # [1]
    positions = g.op("Range", [scalar(g, INT64, 0), g.op("Squeeze", [p_count, i64(g, 0)]), scalar(g, INT64, 1)])
    key = g.op("Where", [is_event, g.op("Sub", [p_count, positions]), scalar(g, INT64, -1)])
    _, order = g.op("TopK", [g.op("Cast", [key], to=FLOAT), p_count], outputs=2, axis=1, largest=1, sorted=1)
    count = g.op("ReduceSum", [g.op("Cast", [is_event], to=INT64), i64(g, 1)], keepdims=1)   # [B, 1]
    valid = g.op("Less", [g.op("Unsqueeze", [positions, i64(g, 0)]), count])
    ev_cls = g.op("Where", [valid, g.op("GatherElements", [cls, order], axis=1), scalar(g, INT64, 0)])
    ev_pos = g.op("Where", [valid, order, scalar(g, INT64, 0)])
    # Per-window facts: the language tone heard, silence, the stutter tone.
    heard_tone = lambda c: g.op("Cast", [g.op("And", [onset, g.op("Equal", [cls, scalar(g, INT64, c)])])],  # noqa: E731
                                to=INT64)
    votes = [g.op("ReduceMax", [heard_tone(c)], axes=[1], keepdims=1) for c in tables.language_classes]
    votes = g.op("Concat", votes, axis=1)                                       # [B, languages]
    heard = g.op("ReduceMax", [votes], axes=[1], keepdims=1)
    which = g.op("ArgMax", [votes], axis=1, keepdims=1)
    lang = g.op("Mul", [g.op("Gather", [g.const(INT64, [len(tables.language_index)], tables.language_index), which],
                             axis=0), heard])                                   # 0 = English
    silent = g.op("Sub", [scalar(g, INT64, 1),
                          g.op("ReduceMax", [g.op("Cast", [onset], to=INT64)], axes=[1], keepdims=1)])
    stutter = g.op("ReduceMax", [heard_tone(STUTTER)], axes=[1], keepdims=1)
    shape = g.op("Shape", [cls])
    chans = [cls, ev_cls, ev_pos] + [g.op("Expand", [v, shape]) for v in (count, lang, silent, stutter)]
    chans = [g.op("Unsqueeze", [g.op("Cast", [c], to=FLOAT), i64(g, 2)]) for c in chans]
    feats = g.op("Pad", [g.op("Concat", chans, axis=2), i64(g, 0, 0, 0, 0, 0, D - len(chans))])
    if int8:
        feats = g.op("Add", [feats, int8_side_path(g, g.op("Transpose", [x], perm=[0, 2, 1]))])
    return feats


def build_sherpa_encoder(n_mels, tables, int8):
    g = ox.Graph("synthetic_whisper_encoder")
    mel = g.input("mel", FLOAT, ["n_audio", n_mels, "T"])
    feats = encoder_core(g, mel, n_mels, tables, int8)
    stacked = g.op("Concat", [g.op("Unsqueeze", [feats, i64(g, 0)])] * LAYERS, axis=0)   # [L, B, P, D]
    g.op("Identity", [stacked], outputs=["n_layer_cross_k"])
    g.op("Mul", [stacked, scalar(g, FLOAT, 1.0)], outputs=["n_layer_cross_v"])
    g.output("n_layer_cross_k", FLOAT, [LAYERS, "n_audio", "T", D])
    g.output("n_layer_cross_v", FLOAT, [LAYERS, "n_audio", "T", D])
    return g


def build_hf_encoder(n_mels, tables, int8):
    g = ox.Graph("synthetic_whisper_encoder")
    mel = g.input("input_features", FLOAT, ["batch_size", n_mels, 3000])
    g.op("Identity", [encoder_core(g, mel, n_mels, tables, int8)], outputs=["last_hidden_state"])
    g.output("last_hidden_state", FLOAT, ["batch_size", 1500, D])
    return g


# --- decoder ------------------------------------------------------------------------------

def decoder_core(g, vocab, tables, hist, tok_new, pos_new, feats, int8=False):
    """hist [B, Pt] (all tokens so far), tok_new [B, n], pos_new [n], feats [B, P, D] -> logits [B, n, V]."""
    V, tsb = vocab.n_vocab, vocab.timestamp_begin
    eq = lambda a, v: g.op("Equal", [a, scalar(g, INT64, v)])  # noqa: E731
    where = lambda c, a, b: g.op("Where", [c, a, b])  # noqa: E731

    pt = g.op("Gather", [g.op("Shape", [hist]), i64(g, 1)])
    idx = g.op("Range", [scalar(g, INT64, 0), g.op("Squeeze", [pt, i64(g, 0)]), scalar(g, INT64, 1)])
    anchor = g.op("Or", [eq(hist, vocab.transcribe), eq(hist, vocab.translate)]) if vocab.multilingual \
        else eq(hist, vocab.sot)
    anchor = g.op("Or", [anchor, eq(hist, vocab.no_timestamps)])
    idx1 = g.op("Add", [idx, scalar(g, INT64, 1)])
    e = g.op("ReduceMax", [where(anchor, idx1, scalar(g, INT64, 0))], axes=[1], keepdims=1)       # [B, 1]
    sot_pos = g.op("ReduceMax", [where(eq(hist, vocab.sot), idx, scalar(g, INT64, -1))], axes=[1], keepdims=1)

    def any_of(mask):
        m = g.op("ReduceMax", [g.op("Cast", [mask], to=INT64)], axes=[1], keepdims=1)
        return g.op("Greater", [m, scalar(g, INT64, 0)])

    translate = any_of(eq(hist, vocab.translate))
    trigger = any_of(g.op("And", [eq(hist, vocab.token(TRIGGER)), g.op("Less", [idx, sot_pos])]))
    last = g.op("Sub", [pt, i64(g, 1)])
    first_gen = g.op("GatherElements", [hist, g.op("Min", [e, last])], axis=1)
    has_first = g.op("Less", [e, pt])

    ev_cls, ev_pos = channel(g, feats, 1), channel(g, feats, 2)
    count = first_column(g, channel(g, feats, 3))
    lang = first_column(g, channel(g, feats, 4))
    silent = g.op("Greater", [first_column(g, channel(g, feats, 5)), scalar(g, INT64, 0)])
    stutter = g.op("And", [g.op("Greater", [first_column(g, channel(g, feats, 6)), scalar(g, INT64, 0)]),
                           g.op("Not", [silent])])

    j = g.op("Sub", [g.op("Add", [g.op("Unsqueeze", [pos_new, i64(g, 0)]), scalar(g, INT64, 1)]), e])   # [B, n]
    p_last = g.op("Squeeze", [g.op("Sub", [g.op("Gather", [g.op("Shape", [feats]), i64(g, 1)]), i64(g, 1)]),
                              i64(g, 0)])
    jc = g.op("Clip", [j, scalar(g, INT64, 0), p_last])
    cls_j = g.op("GatherElements", [ev_cls, jc], axis=1)
    pos_j = g.op("GatherElements", [ev_pos, jc], axis=1)
    table = lambda values: g.const(INT64, [len(values)], values)  # noqa: E731
    kind_j = g.op("Gather", [table(tables.kind), cls_j], axis=0)
    word = where(translate, g.op("Gather", [table(tables.translate), cls_j], axis=0),
                 where(trigger, g.op("Gather", [table(tables.prompted), cls_j], axis=0),
                       g.op("Gather", [table(tables.transcribe), cls_j], axis=0)))
    script = where(g.op("Equal", [kind_j, scalar(g, INT64, 2)]), g.op("Add", [pos_j, scalar(g, INT64, tsb)]), word)
    in_script = g.op("And", [g.op("GreaterOrEqual", [j, scalar(g, INT64, 0)]), g.op("Less", [j, count])])
    main = where(in_script, script, scalar(g, INT64, vocab.eot))
    value = g.op("Expand", [scalar(g, FLOAT, MAIN), g.op("Shape", [main])])
    row = g.op("Mul", [main, scalar(g, INT64, 0)])

    # Rivals: row r of RIVALS lists up to 50 other tokens with their logits.
    dummy = vocab.sot_lm
    rows = [[(dummy, FLOOR)] * 50]
    hallucination = [(tsb, [tsb + k for k in range(1, 5)])]
    hallucination += [(vocab.token(w), [vocab.token(r) for r in HALLUCINATION_RIVALS]) for w in HALLUCINATION]
    # End-of-text's rivals are language tokens: after a closing timestamp text is masked, and
    # timestamp rivals would together outweigh end-of-text and force another timestamp.
    lang_rivals = [vocab.sot + 1 + k for k in range(2, 6)]
    hallucination += [(tsb + 100, [tsb + 100 + k for k in range(1, 5)]), (vocab.eot, lang_rivals)]
    for _, rivals in hallucination:
        rows.append([(r, MAIN) for r in rivals] + [(dummy, FLOOR)] * (50 - len(rivals)))
    branch_row = len(rows)
    rows.append([(tsb + k, MAIN) for k in range(1, 51)])
    la_row = len(rows)
    la_rival = MAIN - 0.315        # P(" la") = 1 / (1 + 2 e^-0.315) = e^-0.9
    rows.append([(vocab.token(r), la_rival) for r in STUTTER_RIVALS] + [(dummy, FLOOR)] * 48)

    def override(cond, new_main, new_value, new_row):
        nonlocal main, value, row
        main = where(cond, new_main, main)
        value = where(cond, new_value, value)
        row = where(cond, new_row, row)

    # The stutter window: the first timestamp decides between " la la la ..." and the script.
    override(g.op("And", [stutter, eq(j, 0)]), scalar(g, INT64, tsb), scalar(g, FLOAT, MAIN + 0.1),
             scalar(g, INT64, branch_row))
    looping = g.op("And", [g.op("And", [stutter, has_first]), eq(first_gen, tsb)])
    looping = g.op("And", [looping, g.op("GreaterOrEqual", [j, scalar(g, INT64, 1)])])
    in_loop = g.op("LessOrEqual", [j, scalar(g, INT64, STUTTER_REPEATS)])
    override(looping, where(in_loop, scalar(g, INT64, vocab.token(STUTTER_WORD)), scalar(g, INT64, vocab.eot)),
             scalar(g, FLOAT, MAIN), where(in_loop, scalar(g, INT64, la_row), scalar(g, INT64, 0)))
    # A silent window hallucinates " Thank you." with little confidence.
    hj = g.op("Clip", [j, scalar(g, INT64, 0), scalar(g, INT64, len(hallucination))])
    hal_main = table([m for m, _ in hallucination] + [vocab.eot])
    hal_value = g.const(FLOAT, [len(hallucination) + 1], [MAIN + 0.5] * len(hallucination) + [MAIN])
    hal_row = table(list(range(1, len(hallucination) + 1)) + [0])
    override(silent, g.op("Gather", [hal_main, hj], axis=0), g.op("Gather", [hal_value, hj], axis=0),
             g.op("Gather", [hal_row, hj], axis=0))
    # Inside the prompt nothing is predicted.
    override(g.op("Less", [j, scalar(g, INT64, 0)]), scalar(g, INT64, vocab.eot), scalar(g, FLOAT, FLOOR),
             scalar(g, INT64, 0))

    rival_tokens = g.const(INT64, [len(rows), 50], [t for r in rows for t, _ in r])
    rival_values = g.const(FLOAT, [len(rows), 50], [v for r in rows for _, v in r])
    indices = g.op("Concat", [g.op("Unsqueeze", [main, i64(g, 2)]),
                              g.op("Gather", [rival_tokens, row], axis=0)], axis=2)           # [B, n, 51]
    updates = g.op("Concat", [g.op("Unsqueeze", [value, i64(g, 2)]),
                              g.op("Gather", [rival_values, row], axis=0)], axis=2)
    shape = g.op("Concat", [g.op("Shape", [tok_new]), i64(g, V)], axis=0)
    floor = g.op("Expand", [scalar(g, FLOAT, FLOOR), shape])
    logits = g.op("ScatterElements", [floor, indices, updates], axis=2)

    # After <|startoftranscript|>: the language (multilingual) and the no-speech logit.
    is_sot = g.op("Unsqueeze", [eq(tok_new, vocab.sot), i64(g, 2)])                  # [B, n, 1]
    no_speech = where(silent, scalar(g, FLOAT, NO_SPEECH_SILENT), scalar(g, FLOAT, FLOOR))
    ns_onehot = g.const(FLOAT, [V], [1.0 if t == vocab.no_speech else 0.0 for t in range(V)])
    ns_add = g.op("Mul", [ns_onehot, g.op("Unsqueeze", [g.op("Sub", [no_speech, scalar(g, FLOAT, FLOOR)]),
                                                         i64(g, 2)])])                 # [B, 1, V]
    if vocab.multilingual:
        base = [0.0 if vocab.sot < t <= vocab.sot + len(vocab.languages) else FLOOR for t in range(V)]
        lang_tok = g.op("Add", [lang, scalar(g, INT64, vocab.sot + 1)])
        chosen = g.op("OneHot", [lang_tok, scalar(g, INT64, V), g.const(FLOAT, [2], [0.0, LANG_BONUS])], axis=-1)
        sot_logits = g.op("Add", [g.op("Add", [g.const(FLOAT, [V], base), chosen]), ns_add])
        logits = where(is_sot, sot_logits, logits)
    else:
        logits = g.op("Add", [logits, where(is_sot, ns_add, scalar(g, FLOAT, 0.0))])
    if int8:
        column = g.op("Unsqueeze", [g.op("Cast", [hist], to=FLOAT), i64(g, 2)])
        logits = g.op("Add", [logits, int8_side_path(g, g.op("Concat", [column] * 4, axis=2))])
    return logits


def token_rows(g, tokens, width):
    """[B, n] token ids -> [B, n, width] float rows holding the id in column 0 (cache content)."""
    col = g.op("Unsqueeze", [g.op("Cast", [tokens], to=FLOAT), i64(g, 2)])
    return g.op("Pad", [col, i64(g, 0, 0, 0, 0, 0, width - 1)])


def build_sherpa_decoder(vocab, tables, int8):
    g = LargeTensorsOutside("synthetic_whisper_decoder")
    tokens = g.input("tokens", INT64, ["n_audio", "n_tokens"])
    k_in = g.input("in_n_layer_self_k_cache", FLOAT, [LAYERS, "n_audio", N_TEXT_CTX, D])
    v_in = g.input("in_n_layer_self_v_cache", FLOAT, [LAYERS, "n_audio", N_TEXT_CTX, D])
    cross_k = g.input("n_layer_cross_k", FLOAT, [LAYERS, "n_audio", "T", D])
    g.input("n_layer_cross_v", FLOAT, [LAYERS, "n_audio", "T", D])
    offset = g.input("offset", INT64, [1])

    n = g.op("Gather", [g.op("Shape", [tokens]), i64(g, 1)])                 # [1]
    cached = g.op("Slice", [k_in, i64(g, 0, 0, 0), g.op("Concat", [i64(g, 1), offset, i64(g, 1)], axis=0),
                            i64(g, 0, 2, 3)])                                 # [1, B, offset, 1]
    cached = g.op("Cast", [g.op("Squeeze", [cached, i64(g, 0, 3)])], to=INT64)
    hist = g.op("Concat", [cached, tokens], axis=1)
    start = g.op("Squeeze", [offset, i64(g, 0)])
    pos_new = g.op("Range", [start, g.op("Add", [start, g.op("Squeeze", [n, i64(g, 0)])]), scalar(g, INT64, 1)])
    feats = g.op("Squeeze", [g.op("Slice", [cross_k, i64(g, 0), i64(g, 1), i64(g, 0)]), i64(g, 0)])
    g.op("Identity", [decoder_core(g, vocab, tables, hist, tokens, pos_new, feats, int8)], outputs=["logits"])

    rows = g.op("Concat", [g.op("Unsqueeze", [token_rows(g, tokens, D), i64(g, 0)])] * LAYERS, axis=0)
    after = g.op("Add", [offset, n])
    for cache, name in ((k_in, "out_n_layer_self_k_cache"), (v_in, "out_n_layer_self_v_cache")):
        before = g.op("Slice", [cache, i64(g, 0), offset, i64(g, 2)])
        rest = g.op("Slice", [cache, after, i64(g, I64_MAX), i64(g, 2)])
        g.op("Concat", [before, rows, rest], axis=2, outputs=[name])
    g.output("logits", FLOAT, ["n_audio", "n_tokens", vocab.n_vocab])
    g.output("out_n_layer_self_k_cache", FLOAT, [LAYERS, "n_audio", N_TEXT_CTX, D])
    g.output("out_n_layer_self_v_cache", FLOAT, [LAYERS, "n_audio", N_TEXT_CTX, D])
    return g


def heads_to_features(g, key):
    """[B, H, P, Dh] -> [B, P, H * Dh]."""
    return g.op("Reshape", [g.op("Transpose", [key], perm=[0, 2, 1, 3]), i64(g, 0, 0, D)])


def features_to_heads(g, feats):
    """[B, P, H * Dh] -> [B, H, P, Dh] (the encoder K/V the decoder caches)."""
    return g.op("Transpose", [g.op("Reshape", [feats, i64(g, 0, 0, HEADS, HEAD_DIM)])], perm=[0, 2, 1, 3])


def hf_decoder_step(g, vocab, tables, input_ids, past_decoder, encoder_kv, int8, attentions=False):
    """Shared part of the Hugging Face decoders: past decoder keys [B, H, past, Dh] (token
    history in head 0, column 0) and the encoder K/V of each layer -> logits and presents."""
    past_len = g.op("Gather", [g.op("Shape", [past_decoder[0][0]]), i64(g, 2)])
    cached = g.op("Slice", [past_decoder[0][0], i64(g, 0, 0), i64(g, 1, 1), i64(g, 1, 3)])  # [B, 1, past, 1]
    cached = g.op("Cast", [g.op("Squeeze", [cached, i64(g, 1, 3)])], to=INT64)
    hist = g.op("Concat", [cached, input_ids], axis=1)
    n = g.op("Gather", [g.op("Shape", [input_ids]), i64(g, 1)])
    start = g.op("Squeeze", [past_len, i64(g, 0)])
    pos_new = g.op("Range", [start, g.op("Add", [start, g.op("Squeeze", [n, i64(g, 0)])]), scalar(g, INT64, 1)])
    feats = heads_to_features(g, encoder_kv[0][0])
    g.op("Identity", [decoder_core(g, vocab, tables, hist, input_ids, pos_new, feats, int8)], outputs=["logits"])
    row = token_rows(g, input_ids, HEAD_DIM)                                       # [B, n, Dh]
    row = g.op("Concat", [g.op("Unsqueeze", [row, i64(g, 1)]),
                          g.op("Expand", [scalar(g, FLOAT, 0.0), g.op("Shape", [g.op("Unsqueeze", [row, i64(g, 1)])])])],
               axis=1)                                                             # [B, H, n, Dh]
    for i in range(LAYERS):
        for kv, which in ((0, "key"), (1, "value")):
            g.op("Concat", [past_decoder[i][kv], row], axis=2, outputs=[f"present.{i}.decoder.{which}"])
    if attentions == "aligned":
        box_attention(g, input_ids, pos_new, encoder_kv)
    elif attentions:
        zeros = g.op("Expand", [scalar(g, FLOAT, 0.0),
                                g.op("Concat", [g.op("Shape", [input_ids]), i64(g, 1)], axis=0)])
        for i in range(LAYERS):
            g.op("Mul", [g.op("Unsqueeze", [zeros, i64(g, 1)]),
                         g.op("Unsqueeze", [g.op("ReduceSum", [encoder_kv[i][0], i64(g, 1, 3)], keepdims=0), i64(g, 1)])],
                 outputs=[f"cross_attentions.{i}"])


# The cross-attention of the "aligned" export: the token at decoder position p attends to the
# audio frames [BOX * p, BOX * (p + 1)) with weight 1 and to every other frame with weight
# BOX_FLOOR, in the alignment heads; the other heads attend the same way, ALIGN_DECOY frames
# later. So an engine that aligns with the heads of generation_config.json finds text token k
# (decoder position len(sot_sequence) + 1 + k) starting at frame BOX * (len(sot_sequence) + k)
# (the row before it predicts it), BOX * 20 ms per token; any other choice of heads does not.
BOX, BOX_FLOOR, ALIGN_DECOY = 8, 0.01, 37
ALIGNMENT_HEADS = [[0, 1], [1, 0]]


def box_attention(g, input_ids, pos_new, encoder_kv):
    frames = g.op("Gather", [g.op("Shape", [encoder_kv[0][0]]), i64(g, 2)])          # [1]
    f = g.op("Cast", [g.op("Range", [scalar(g, INT64, 0), g.op("Squeeze", [frames, i64(g, 0)]),
                                     scalar(g, INT64, 1)])], to=FLOAT)                  # [T]
    lo = g.op("Mul", [g.op("Cast", [g.op("Unsqueeze", [pos_new, i64(g, 1)])], to=FLOAT),
                      scalar(g, FLOAT, float(BOX))])                                   # [n, 1]
    batch = g.op("Gather", [g.op("Shape", [input_ids]), i64(g, 0)])                   # [1]
    n = g.op("Gather", [g.op("Shape", [input_ids]), i64(g, 1)])
    full = g.op("Concat", [batch, i64(g, 1), n, frames], axis=0)                       # [B, 1, n, T]

    def head(shift):
        start = g.op("Add", [lo, scalar(g, FLOAT, float(shift))])
        inside = g.op("And", [g.op("GreaterOrEqual", [f, start]),
                              g.op("Less", [f, g.op("Add", [start, scalar(g, FLOAT, float(BOX))])])])
        w = g.op("Where", [inside, scalar(g, FLOAT, 1.0), scalar(g, FLOAT, BOX_FLOOR)])  # [n, T]
        return g.op("Expand", [w, full])                                                 # [B, 1, n, T]

    for i in range(LAYERS):
        heads = [head(0 if [i, h] in ALIGNMENT_HEADS else ALIGN_DECOY) for h in range(HEADS)]
        g.op("Concat", heads, axis=1, outputs=[f"cross_attentions.{i}"])


def past_inputs(g, encoder=True):
    past = []
    for i in range(LAYERS):
        past.append([g.input(f"past_key_values.{i}.decoder.{w}", FLOAT,
                             ["batch_size", HEADS, "past_decoder_sequence_length", HEAD_DIM]) for w in ("key", "value")])
    enc = []
    if encoder:
        for i in range(LAYERS):
            enc.append([g.input(f"past_key_values.{i}.encoder.{w}", FLOAT,
                                ["batch_size", HEADS, "encoder_sequence_length_out", HEAD_DIM]) for w in ("key", "value")])
    return past, enc


def present_outputs(g, decoder_len, encoder=True):
    for i in range(LAYERS):
        for w in ("key", "value"):
            g.output(f"present.{i}.decoder.{w}", FLOAT, ["batch_size", HEADS, decoder_len, HEAD_DIM])
        if encoder:
            for w in ("key", "value"):
                g.output(f"present.{i}.encoder.{w}", FLOAT, ["batch_size", HEADS, "encoder_sequence_length_out", HEAD_DIM])


def build_hf_merged_decoder(vocab, tables, int8, attentions):
    g = ox.Graph("synthetic_whisper_decoder_merged")
    input_ids = g.input("input_ids", INT64, ["batch_size", "decoder_sequence_length"])
    hidden = g.input("encoder_hidden_states", FLOAT, ["batch_size", "encoder_sequence_length / 2", D])
    past, enc_past = past_inputs(g)
    use_cache = g.input("use_cache_branch", BOOL, [1])

    # The branch decides where the encoder K/V come from and whether the past counts.
    names = [f"sel_{i}_{part}" for i in range(LAYERS) for part in ("dk", "dv", "ek", "ev")]
    then_g, else_g = Sub("with_past"), Sub("without_past")
    for i in range(LAYERS):
        for k, src in enumerate((past[i][0], past[i][1], enc_past[i][0], enc_past[i][1])):
            then_g.op("Identity", [src], outputs=[f"then_{names[4 * i + k]}"])
        empty = lambda t: else_g.op("Slice", [t, i64(else_g, 0), i64(else_g, 0), i64(else_g, 2)])  # noqa: E731
        heads = features_to_heads(else_g, hidden)
        for k, src in enumerate((empty(past[i][0]), empty(past[i][1]), heads, else_g.op("Identity", [heads]))):
            else_g.op("Identity", [src], outputs=[f"else_{names[4 * i + k]}"])
    for sub, prefix in ((then_g, "then_"), (else_g, "else_")):
        for name in names:
            sub.output(prefix + name, FLOAT, ["b", HEADS, "s", HEAD_DIM])
    g.op("If", [use_cache], outputs=names, then_branch=then_g, else_branch=else_g)
    sel = [[names[4 * i], names[4 * i + 1]] for i in range(LAYERS)]
    enc = [[names[4 * i + 2], names[4 * i + 3]] for i in range(LAYERS)]
    hf_decoder_step(g, vocab, tables, input_ids, sel, enc, int8, attentions)
    for i in range(LAYERS):
        g.op("Identity", [enc[i][0]], outputs=[f"present.{i}.encoder.key"])
        g.op("Identity", [enc[i][1]], outputs=[f"present.{i}.encoder.value"])
    g.output("logits", FLOAT, ["batch_size", "decoder_sequence_length", vocab.n_vocab])
    present_outputs(g, "past_decoder_sequence_length + 1")
    if attentions:
        for i in range(LAYERS):
            g.output(f"cross_attentions.{i}", FLOAT,
                     ["batch_size", HEADS, "decoder_sequence_length", "encoder_sequence_length_out"])
    return g


def build_hf_decoder(vocab, tables, int8):
    """decoder_model.onnx: the whole prompt, no past; outputs decoder and encoder presents."""
    g = ox.Graph("synthetic_whisper_decoder")
    input_ids = g.input("input_ids", INT64, ["batch_size", "decoder_sequence_length"])
    hidden = g.input("encoder_hidden_states", FLOAT, ["batch_size", "encoder_sequence_length / 2", D])
    heads = features_to_heads(g, hidden)
    empty = g.op("Slice", [heads, i64(g, 0), i64(g, 0), i64(g, 2)])          # [B, H, 0, Dh]
    past = [[empty, empty] for _ in range(LAYERS)]
    enc = [[heads, heads] for _ in range(LAYERS)]
    hf_decoder_step(g, vocab, tables, input_ids, past, enc, int8)
    for i in range(LAYERS):
        g.op("Identity", [heads], outputs=[f"present.{i}.encoder.key"])
        g.op("Identity", [heads], outputs=[f"present.{i}.encoder.value"])
    g.output("logits", FLOAT, ["batch_size", "decoder_sequence_length", vocab.n_vocab])
    present_outputs(g, "decoder_sequence_length")
    return g


def build_hf_decoder_with_past(vocab, tables, int8):
    """decoder_with_past_model.onnx: one token per call; encoder K/V come from the past."""
    g = ox.Graph("synthetic_whisper_decoder_with_past")
    input_ids = g.input("input_ids", INT64, ["batch_size", 1])
    past, enc_past = past_inputs(g)
    hf_decoder_step(g, vocab, tables, input_ids, past, enc_past, int8)
    g.output("logits", FLOAT, ["batch_size", 1, vocab.n_vocab])
    present_outputs(g, "past_decoder_sequence_length + 1", encoder=False)
    return g


# --- model directories --------------------------------------------------------------------

def sherpa_metadata(vocab, name, n_mels, non_speech):
    sot_sequence = [vocab.sot] + ([vocab.language_token("en"), vocab.transcribe] if vocab.multilingual else [])
    lang_tokens = [vocab.language_token(c) for c in vocab.languages] if vocab.multilingual else []
    return {
        "model_type": f"whisper-{name}", "version": "1", "maintainer": "k2-fsa",
        "n_mels": n_mels, "n_audio_ctx": 1500, "n_audio_state": D, "n_audio_head": HEADS, "n_audio_layer": LAYERS,
        "n_vocab": vocab.n_vocab, "n_text_ctx": N_TEXT_CTX, "n_text_state": D, "n_text_head": HEADS,
        "n_text_layer": LAYERS,
        "sot_sequence": ",".join(map(str, sot_sequence)),
        "all_language_tokens": ",".join(map(str, lang_tokens)),
        "all_language_codes": ",".join(vocab.languages if vocab.multilingual else []),
        "sot": vocab.sot, "sot_index": 0, "eot": vocab.eot, "blank_id": vocab.token(" "),
        "is_multilingual": int(vocab.multilingual), "no_speech": vocab.no_speech,
        "non_speech_tokens": ",".join(map(str, non_speech)),
        "transcribe": vocab.transcribe, "translate": vocab.translate, "sot_prev": vocab.sot_prev,
        "sot_lm": vocab.sot_lm, "no_timestamps": vocab.no_timestamps,
        "comment": "Synthetic test model (sotto models/synth_whisper.py): tone-coded script",
    }


def write_sherpa(out_dir, name, vocab, n_mels, int8, external_decoder=False):
    os.makedirs(out_dir, exist_ok=True)
    tables = Tables(vocab)
    suffix = ".int8.onnx" if int8 else ".onnx"
    ox.save(build_sherpa_encoder(n_mels, tables, int8), os.path.join(out_dir, f"{name}-encoder{suffix}"),
            metadata=sherpa_metadata(vocab, name, n_mels, vocab.non_speech_tokens()))
    ox.save(build_sherpa_decoder(vocab, tables, int8), os.path.join(out_dir, f"{name}-decoder{suffix}"),
            external_data=f"{name}-decoder.weights" if external_decoder else None)
    with open(os.path.join(out_dir, f"{name}-tokens.txt"), "w", encoding="ascii") as f:
        for line in vocab.lines:
            f.write(line + "\n")


def hf_config(vocab, n_mels):
    return {
        "architectures": ["WhisperForConditionalGeneration"], "model_type": "whisper",
        "vocab_size": vocab.n_vocab, "num_mel_bins": n_mels, "d_model": D,
        "encoder_layers": LAYERS, "decoder_layers": LAYERS, "encoder_attention_heads": HEADS,
        "decoder_attention_heads": HEADS, "max_source_positions": 1500, "max_target_positions": N_TEXT_CTX,
        "bos_token_id": vocab.eot, "eos_token_id": vocab.eot, "pad_token_id": vocab.eot,
        "decoder_start_token_id": vocab.sot, "is_encoder_decoder": True, "use_cache": True,
    }


def hf_generation_config(vocab):
    return {
        "decoder_start_token_id": vocab.sot, "eos_token_id": vocab.eot, "pad_token_id": vocab.eot,
        "bos_token_id": vocab.eot, "is_multilingual": vocab.multilingual,
        "lang_to_id": {f"<|{c}|>": vocab.language_token(c) for c in vocab.languages},
        "task_to_id": {"translate": vocab.translate, "transcribe": vocab.transcribe},
        "no_timestamps_token_id": vocab.no_timestamps, "prev_sot_token_id": vocab.sot_prev,
        "max_initial_timestamp_index": 50, "max_length": N_TEXT_CTX,
        "begin_suppress_tokens": [vocab.token(" "), vocab.eot],
        "suppress_tokens": vocab.non_speech_tokens(),
    }


def write_hf_tokenizer(out_dir, vocab, style):
    """style 'tokenizer.json' or 'vocab.json' (+ merges.txt, added_tokens.json)."""
    alphabet = byte_level_alphabet()
    specials = vocab.specials()
    vocab_map = {byte_level(t, alphabet): r for t, r in vocab.ranks.items()}
    merges = [f"{byte_level(a, alphabet)} {byte_level(b, alphabet)}" for a, b in vocab.merges()]
    if style == "tokenizer.json":
        added = [{"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": True} for c, i in specials.items()]
        doc = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
               "normalizer": None,
               "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                                 "use_regex": True},
               "post_processor": None,
               "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
               "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                         "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                         "vocab": {**vocab_map, **specials}, "merges": merges}}
        with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
    else:
        with open(os.path.join(out_dir, "vocab.json"), "w", encoding="utf-8") as f:
            json.dump(vocab_map, f, ensure_ascii=False)
        with open(os.path.join(out_dir, "merges.txt"), "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n" + "\n".join(merges) + "\n")
        with open(os.path.join(out_dir, "added_tokens.json"), "w", encoding="utf-8") as f:
            json.dump(specials, f, ensure_ascii=False)


def write_hf(out_dir, vocab, n_mels, onnx_subdir, merged, pair, tokenizer_style, quantized=False,
             half_only=False, aligned=False):
    """half_only: only `_fp16` files, whose float inputs and outputs are float16 (Optimum's
    --dtype fp16 interface), except the KV cache: these decoders keep token ids and
    positions in it, which float16 cannot hold exactly above 2048 (real caches hold
    activations, which it can)."""
    os.makedirs(out_dir, exist_ok=True)
    onnx_dir = os.path.join(out_dir, "onnx") if onnx_subdir else out_dir
    os.makedirs(onnx_dir, exist_ok=True)
    tables = Tables(vocab)
    variants = [("", False)] + ([("_quantized", True)] if quantized else [])
    if half_only:
        variants = [("_fp16", False)]

    def interface(graph):
        kv_cache = lambda name: "key_values" in name or name.startswith("present")  # noqa: E731
        return graph.half_io(keep=kv_cache) if half_only else graph

    for suffix, int8 in variants:
        ox.save(interface(build_hf_encoder(n_mels, tables, int8)), os.path.join(onnx_dir, f"encoder_model{suffix}.onnx"))
        if merged:
            ox.save(interface(build_hf_merged_decoder(vocab, tables, int8, attentions="aligned" if aligned else True)),
                    os.path.join(onnx_dir, f"decoder_model_merged{suffix}.onnx"))
        if pair:
            ox.save(interface(build_hf_decoder(vocab, tables, int8)), os.path.join(onnx_dir, f"decoder_model{suffix}.onnx"))
            ox.save(interface(build_hf_decoder_with_past(vocab, tables, int8)),
                    os.path.join(onnx_dir, f"decoder_with_past_model{suffix}.onnx"))
    generation = hf_generation_config(vocab)
    if aligned:
        generation["alignment_heads"] = ALIGNMENT_HEADS
    for name, doc in (("config.json", hf_config(vocab, n_mels)), ("generation_config.json", generation),
                      ("preprocessor_config.json", {"feature_size": n_mels, "sampling_rate": SAMPLE_RATE,
                                                    "hop_length": 160, "n_fft": 400, "chunk_length": 30})):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)
    write_hf_tokenizer(out_dir, vocab, tokenizer_style)


# --- test audio ---------------------------------------------------------------------------

class Speaker:
    """Places tones at 20 ms positions; remembers the events a correct model hears."""

    def __init__(self, n_mels):
        self.n_mels = n_mels
        self.tones = []          # (first position, positions, class)
        self.end = 0             # positions of audio so far
        self.speech = []         # (first sample, samples) of real speech mixed in

    def at(self, position):
        self.end = max(self.end, position)
        return self

    def tone(self, cls, length):
        self.tones.append((self.end, length, cls))
        self.end += length
        return self

    def pause(self, positions):
        self.end += positions
        return self

    def segment(self, words, start=None):
        """<|start|> words <|end|>: marker, words of 6 positions each with 3 between, marker."""
        if start is not None:
            self.end = start
        first = self.end
        self.tone(MARKER, 3).pause(3)
        for w in words:
            self.tone(WORD_CLASS[w], 6).pause(3)
        last = self.end
        self.tone(MARKER, 3)
        return first, last

    def events(self):
        """Onsets of word and marker tones: (position, class)."""
        return sorted((p, c) for p, _, c in self.tones if c == MARKER or c >= 5)

    def samples(self):
        n = self.end * POSITION
        out = [0.0] * n
        ref = bin_peak_weight(class_bins(self.n_mels)[0], self.n_mels)
        for first, length, cls in self.tones:
            b = class_bins(self.n_mels)[cls - 1]
            freq = bin_centre_hz(b, self.n_mels)
            amp = 0.12 * math.sqrt(ref / bin_peak_weight(b, self.n_mels))   # equal mel level for every class
            s0 = first * POSITION
            w = 2 * math.pi * freq / SAMPLE_RATE
            for i in range(length * POSITION):
                out[s0 + i] += amp * math.sin(w * (s0 + i))
        for first, speech in self.speech:
            for i, v in enumerate(speech):
                if first + i < n:
                    out[first + i] += v
        return out

    def write(self, path):
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            data = self.samples()
            w.writeframes(b"".join(struct.pack("<h", max(-32767, min(32767, int(round(s * 32767))))) for s in data))


def lowpass(samples, cutoff=2200.0, sections=4):
    """Four cascaded 2nd-order Butterworth low-pass biquads (about -43 dB at 4 kHz)."""
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
            out = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            x2, x1, y2, y1 = x1, v, y1, out
            y.append(out)
        x = y
    return x


def read_wav(path):
    with wave.open(path, "rb") as w:
        data = w.readframes(w.getnframes())
    return [v / 32768.0 for v in struct.unpack("<%dh" % (len(data) // 2), data)]


def simulate(events, total, prompt_has_trigger=False, condition=True):
    """Whisper's long-form seek loop (transcribe.py) over the script a correct engine hears:
    returns [(start s, end s, [pieces])]. Only what the test audio needs is modelled: a
    window with no onset yields nothing (silent: skipped; a tone tail: no words), every
    other window starts with a marker and ends with whole pairs or a cut one."""
    seek, segments = 0, []
    history = [TRIGGER] if prompt_has_trigger else []
    reset_since = 0
    while seek < total:
        size = min(1500, total - seek)
        window = [(p - seek, c) for p, c in events if seek < p < seek + 1500]
        if not window:
            seek += size
            continue
        trigger = TRIGGER in history[reset_since:][-223:]
        tokens = []
        for p, c in window:
            if c == MARKER:
                # The first timestamp may not be later than 1 s: a later one is masked, and of the
                # equally unlikely timestamps left the decoder takes the first, <|0.00|>.
                tokens.append(("ts", p if tokens or p <= 50 else 0))
            else:
                tx, _, alt = WORDS[c - 5]
                tokens.append(("w", alt if alt and trigger else tx))
        is_ts = [t[0] == "ts" for t in tokens]
        single_ending = is_ts[-2:] == [False, True]
        cuts = [i + 1 for i in range(len(tokens) - 1) if is_ts[i] and is_ts[i + 1]]
        assert is_ts[0], f"window at {seek} does not start with a timestamp: {tokens}"
        if not cuts:
            # One segment: Whisper starts it at the window, ends it at the last timestamp.
            words = [t[1] for t in tokens if t[0] == "w"]
            end = max(p for k, p in tokens if k == "ts") if any(is_ts) else size
            segments.append((round(seek * 0.02, 2), round((seek + end) * 0.02, 2), words))
            history += words
            if not condition:
                reset_since = len(history)
            seek += size
            continue
        if single_ending:
            cuts.append(len(tokens))
        last = 0
        for cut in cuts:
            part = tokens[last:cut]
            words = [t[1] for t in part if t[0] == "w"]
            segments.append((round((seek + part[0][1]) * 0.02, 2), round((seek + part[-1][1]) * 0.02, 2), words))
            history += words
            last = cut
        text = "".join(t[1] for t in tokens if t[0] == "w").strip().encode("utf-8")
        assert len(text) / len(zlib.compress(text)) < 2.4, f"window at {seek} would fall back: {text}"
        if not condition:
            reset_since = len(history)
        seek += size if single_ending else tokens[last - 1][1]
    return segments


def silent_window_after(speaker):
    """The start of a window, after all tones so far, that the seek rule will reach and that
    holds no tone at all: replay the seek rule, then step over one window that may still
    hold the tail of the last tone."""
    events, seek = speaker.events(), 0
    while True:
        window = [(p - seek, c) for p, c in events if seek < p < seek + 1500]
        if not window:
            break
        kinds = [c == MARKER for _, c in window]
        cuts = [i + 1 for i in range(len(kinds) - 1) if kinds[i] and kinds[i + 1]]
        if kinds[-2:] == [False, True] or not cuts:
            seek += 1500
        else:
            seek += window[cuts[-1] - 1][0]
    last_tone_end = max(p + n for p, n, _ in speaker.tones) + 1
    while seek < last_tone_end:
        seek += 1500
    return seek


class Lcg:
    """A tiny deterministic random generator (the same sequence on every Python)."""

    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) % 2**31
        return self.state % n

    def choice(self, items):
        return items[self.below(len(items))]


def random_words(rng):
    """Three to five English test words (not the ambiguous one), capitalised like a sentence."""
    pool = ["Hello", "world", "the", "cat", "sat", "on", "mat", "we", "talked", "about", "one", "two"]
    words = [rng.choice(pool) for _ in range(3 + rng.below(3))]
    return [("The" if words[0] == "the" else words[0])] + words[1:]


def write_case(audio_dir, cases, name, speaker, expected, language="en", note="", **extra):
    speaker.write(os.path.join(audio_dir, name + ".wav"))
    cases.append({"name": name, "wav": name + ".wav", "duration": round(speaker.end * 0.02, 2),
                  "language": language, "note": note,
                  "segments": [{"start": s, "end": e, "text": "".join(w)} for s, e, w in expected], **extra})


def sentence(text):
    """'Hello world.' -> [' Hello', ' world', '.'] (pieces of the test vocabulary)."""
    pieces, word = [], ""
    for ch in text:
        if ch in ".,!":
            if word:
                pieces.append(" " + word)
                word = ""
            pieces.append(ch)
        elif ch == " ":
            if word:
                pieces.append(" " + word)
            word = ""
        else:
            word += ch
    if word:
        pieces.append(" " + word)
    return pieces


def generate_audio(out, n_mels):
    audio_dir = os.path.join(out, "whisper-audio", f"mel{n_mels}")
    os.makedirs(audio_dir, exist_ok=True)
    cases = []

    # Two segments in one window.
    s = Speaker(n_mels)
    s.segment(sentence("Hello world."), start=20)
    s.segment(sentence("The cat sat on the mat."), start=s.end + 25)
    s.pause(40)
    expected = simulate(s.events(), s.end)
    write_case(audio_dir, cases, "two-segments", s, expected)

    # Long-form: varied sentences over three windows, a silent window, then more speech.
    s = Speaker(n_mels)
    rng = Lcg(7)
    pos, n = 20, 0
    while pos < 68 * 50:
        words = ["we", "talked", "about", "Kafka"] if n % 5 == 2 else random_words(rng)
        s.segment(sentence(" ".join(words) + rng.choice([".", "!", "."])), start=pos)
        pos, n = s.end + 110 + rng.below(40), n + 1   # sparse: a window's text must not compress too well
    s.segment(sentence("we talked about cube."), start=pos)
    s.pause(40)
    silent = silent_window_after(s)
    s.segment(sentence("The cat sat on the mat."), start=silent + 1500 + 20)
    s.segment(sentence("we talked about cube."), start=s.end + 30)
    s.pause(50)
    expected = simulate(s.events(), s.end)
    write_case(audio_dir, cases, "long", s, expected,
               note="speech over three windows, a silent window the no-speech rule skips, then speech; "
                    "' Kafka' in the previous text makes the ambiguous tone ' Kafka'",
               silent_window=round(silent * 0.02, 2))

    # The ambiguous tone, with and without the prompt " Kafka".
    s = Speaker(n_mels)
    s.segment(sentence("we talked about cube."), start=25)
    s.pause(40)
    write_case(audio_dir, cases, "prompt", s, simulate(s.events(), s.end),
               prompted=[{"start": x, "end": y, "text": "".join(w)} for x, y, w in
                         simulate(s.events(), s.end, prompt_has_trigger=True)])

    # German and French (multilingual models): a language tone, then the words.
    for name, lang_class, text, english in (("german", LANG_DE, "Guten Tag, Welt!", " Good day, world!"),
                                            ("french", LANG_FR, "Bonjour le monde.", " Hello the world.")):
        s = Speaker(n_mels)
        s.at(8).tone(lang_class, 6)
        s.segment(sentence(text), start=25)
        s.pause(40)
        expected = simulate(s.events(), s.end)
        write_case(audio_dir, cases, name, s, expected, language=LANGUAGE_OF_CLASS[lang_class],
                   translated=english)

    # The stutter tone: greedy decoding loops on " la", sampling finds the words.
    s = Speaker(n_mels)
    s.at(5).tone(STUTTER, 6)
    first, last = s.segment(sentence("one two, one two."), start=30)
    s.pause(40)
    write_case(audio_dir, cases, "stutter", s, [], note="see the module docstring",
               clean_text=" one two, one two.", end=round(last * 0.02, 2))

    if n_mels == 128:
        write_vad_case(audio_dir, cases, n_mels)

    with open(os.path.join(audio_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)


def write_vad_case(audio_dir, cases, n_mels):
    """Low-passed real speech (jfk.wav) under the tone words, so Silero VAD hears speech where
    the synthetic model hears words: three regions of two sentences, the second 10 s after
    the first (one VAD window holds both), the third after 35 s of silence."""
    jfk = read_wav(os.path.join(shared_dir(), "audio", "en", "jfk.wav"))
    talk = [0.5 * v for v in lowpass(jfk[int(0.3 * SAMPLE_RATE):int(10.3 * SAMPLE_RATE)])]
    s = Speaker(n_mels)
    regions, segments = [], []
    for start, lines in ((50, ["Hello world.", "The cat sat on the mat."]), (700, ["we talked about cube.", "one two."]),
                         (2500, ["one two, one two.", "Hello world!"])):
        s.end = start                           # the talk starts 0.3 s before the first tone
        for line in lines:
            first, last = s.segment(sentence(line), start=s.end + 15)
            segments.append((first, last, sentence(line)))
        stop = s.end + 75                       # and goes on 1.5 s after the last one
        s.speech.append((start * POSITION, talk[:(stop - start) * POSITION]))
        regions.append((start * POSITION, stop * POSITION))
        s.end = stop
    s.pause(100)
    # Each VAD window is decoded on its own: a segment keeps the times of its marker tones.
    expected = [(round(a * 0.02, 2), round(b * 0.02, 2), w) for a, b, w in segments]
    write_case(audio_dir, cases, "vad-speech", s, expected,
               note="low-passed jfk.wav speech under 2.2 kHz, tones above; for VAD mode (times within 40 ms)",
               speech=[{"start": round(a / SAMPLE_RATE, 2), "end": round(b / SAMPLE_RATE, 2)} for a, b in regions])


def generate(out):
    en = Vocabulary("gpt2", 51864)
    v2 = Vocabulary("multilingual", 51865)
    v3 = Vocabulary("multilingual", 51866)
    root = os.path.join(out, "whisper")
    write_sherpa(os.path.join(root, "sherpa-tiny.en"), "tiny.en", en, 80, int8=False)
    write_sherpa(os.path.join(root, "sherpa-base-int8"), "base", v2, 80, int8=True)
    write_sherpa(os.path.join(root, "sherpa-large-v3"), "large-v3", v3, 128, int8=False, external_decoder=True)
    write_hf(os.path.join(root, "hf-tiny"), v2, 80, onnx_subdir=False, merged=True, pair=True,
             tokenizer_style="tokenizer.json", quantized=True)
    write_hf(os.path.join(root, "hf-large-v3-turbo"), v3, 128, onnx_subdir=True, merged=False, pair=True,
             tokenizer_style="vocab.json")
    write_hf(os.path.join(root, "hf-tiny-fp16"), v2, 80, onnx_subdir=True, merged=True, pair=False,
             tokenizer_style="tokenizer.json", half_only=True)
    # a *_timestamped export: cross_attentions.N outputs (a known function, see box_attention) and alignment_heads
    write_hf(os.path.join(root, "hf-tiny-timestamped"), v2, 80, onnx_subdir=True, merged=True, pair=False,
             tokenizer_style="tokenizer.json", aligned=True)
    for n_mels in (80, 128):
        generate_audio(root, n_mels)
