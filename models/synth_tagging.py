"""Synthetic audio taggers in sherpa-onnx's two audio-tagging layouts.

No audio-tagging weights exist offline, so these stand in for them with the exact I/O of the
real exports (icefall egs/audioset/AT/zipformer/export-onnx.py as packaged in
sherpa-onnx-zipformer-*-audio-tagging-*; the CED exports in sherpa-onnx-ced-*-audio-tagging-*,
read by sherpa-onnx's offline-ced-model.cc) and scores that are a known function of the features:
each class listens to one frequency band, and

    frac_c  = share of frames whose loudest mel bin inside band_c has log energy above 0
    logit_c = 12 * (frac_c - 0.5) + bias_c

so a class fires (probability >= 0.5) on a window where its tone sounds during more than half
the frames. The CED model outputs sigmoid(logit) (CED ends in a sigmoid); the Zipformer one
outputs the logits (icefall trains on raw logits). class_labels_indices.csv holds real AudioSet
rows (mid, display name), renumbered from 0 as the file format requires.

tones.wav (16 kHz, 13 s): 1 kHz tone over [2, 5) s, 3 kHz over [7, 9) s, 300 Hz over [10, 12) s,
digital silence elsewhere: music, applause and speech (the last is not an event).
"""

import math
import os
import struct
import wave

import onnx_writer as ow

# (mid, display name, band centre in Hz or None, bias)
CLASSES = [
    ("/m/09x0r", "Speech", 300, 0.0),
    ("/m/05zppz", "Male speech, man speaking", None, -30.0),
    ("/m/01j3sz", "Laughter", None, -30.0),
    ("/m/028ght", "Applause", 3000, 0.0),
    ("/m/04rlf", "Music", 1000, 0.0),
]

TONES = [(1000, 2.0, 5.0), (3000, 7.0, 9.0), (300, 10.0, 12.0)]
SECONDS = 13
RATE = 16000


def mel(f):
    return 1127.0 * math.log(1.0 + f / 700.0)


def band(centre, bins, low, high):
    """Mel bins (Kaldi's triangles) whose centre lies within 15% of `centre` Hz."""
    lo, hi = mel(low), mel(high)
    step = (hi - lo) / (bins + 1)
    out = []
    for m in range(bins):
        c = 700.0 * (math.exp((lo + (m + 1) * step) / 1127.0) - 1.0)
        if centre / 1.15 <= c <= centre * 1.15:
            out.append(m)
    return out


def _scores(g, log_feats, mel_axis, time_axis, bins, low, high):
    """[N, classes] logits from log mel energies with mel on `mel_axis`, time on `time_axis`."""
    columns = []
    for _, _, centre, bias in CLASSES:
        idx = band(centre, bins, low, high) if centre else [0]
        picked = g.op("Gather", [log_feats, g.const(ow.INT64, [len(idx)], idx)], axis=mel_axis)
        loudest = g.op("ReduceMax", [picked], axes=[mel_axis], keepdims=1)
        above = g.op("Sigmoid", [g.op("Mul", [loudest, g.const(ow.FLOAT, [], [50.0])])])   # ~ (log energy > 0)
        frac = g.op("ReduceMean", [above], axes=[time_axis], keepdims=0)                   # [N, 1]
        scale = 12.0 if centre else 0.0
        logit = g.op("Add", [g.op("Mul", [g.op("Sub", [frac, g.const(ow.FLOAT, [], [0.5])]),
                                          g.const(ow.FLOAT, [], [scale])]), g.const(ow.FLOAT, [], [bias])])
        columns.append(logit)
    return g.op("Concat", columns, axis=1)


def zipformer(path):
    g = ow.Graph("zipformer2_at")
    x = g.input("x", ow.FLOAT, ["N", "T", 80])
    x_lens = g.input("x_lens", ow.INT64, ["N"])
    logits = _scores(g, x, 2, 1, 80, 20.0, 7600.0)
    # x_lens takes part (times zero) as in the real export, which masks padded frames with it.
    zero = g.op("Mul", [g.op("Cast", [x_lens], to=ow.FLOAT), g.const(ow.FLOAT, [], [0.0])])
    g.op("Add", [logits, g.op("Reshape", [zero, g.const(ow.INT64, [2], [-1, 1])])], outputs=["logits"])
    g.output("logits", ow.FLOAT, ["N", len(CLASSES)])
    ow.save(g, path, opset=13, metadata={"model_type": "zipformer2_at", "version": "1", "model_author": "k2-fsa",
                                         "comment": "zipformer2 audio tagger"})


def ced(path):
    g = ow.Graph("ced")
    x = g.input("x", ow.FLOAT, ["N", 64, "T"])
    # CED takes mel power and converts to decibels inside; this stand-in takes the natural log.
    log_feats = g.op("Log", [g.op("Add", [x, g.const(ow.FLOAT, [], [1e-7])])])
    logits = _scores(g, log_feats, 1, 2, 64, 0.0, 8000.0)
    g.op("Sigmoid", [logits], outputs=["logits"])
    g.output("logits", ow.FLOAT, ["N", len(CLASSES)])
    ow.save(g, path, opset=13)


def labels(path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("index,mid,display_name\n")
        for i, (mid, name, _, _) in enumerate(CLASSES):
            f.write('%d,%s,"%s"\n' % (i, mid, name))


def tones(path):
    frames = bytearray()
    for n in range(SECONDS * RATE):
        t = n / RATE
        v = 0.0
        for freq, start, end in TONES:
            if start <= t < end:
                v = 0.5 * math.sin(2 * math.pi * freq * t)
        frames += struct.pack("<h", int(round(v * 32767)))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))


def generate(out):
    root = os.path.join(out, "tagging")
    for name, make in (("zipformer-audio-tagging", zipformer), ("ced-audio-tagging", ced)):
        d = os.path.join(root, name)
        os.makedirs(d, exist_ok=True)
        make(os.path.join(d, "model.onnx"))
        labels(os.path.join(d, "class_labels_indices.csv"))
    tones(os.path.join(root, "tones.wav"))
