"""Synthetic speaker-embedding models in sherpa-onnx's three export layouts.

No speaker-embedding weights exist offline, so these models stand in for them with the
exact I/O names, shapes and metadata of the real exports (sherpa-onnx scripts/3dspeaker/
export-onnx.py, scripts/wespeaker/add_meta_data.py, scripts/nemo/speaker-verification/
export-onnx.py), and an embedding that is a known function of the features:

    embedding[d] = sum_m W[d][m] * max_t feats[t][m],   W[d][m] = sin(0.37 * (d * FEAT + m) + 0.5)

so a test can recompute it from the features the engine feeds. Real voices differ in
their spectra, so the pipeline also separates two real speakers with it.
"""

import math
import os

import onnx_writer as ow

FEAT = 80
DIM = 16


def weights():
    return [math.sin(0.37 * (d * FEAT + m) + 0.5) for m in range(FEAT) for d in range(DIM)]   # [FEAT, DIM]


def _projection(g, peaks):
    w = g.const(ow.FLOAT, [FEAT, DIM], weights())
    return g.op("MatMul", [peaks, w])   # [N, DIM]


def three_d_speaker(path):
    g = ow.Graph("campplus")
    x = g.input("x", ow.FLOAT, ["N", "T", FEAT])
    peaks = g.op("ReduceMax", [x], axes=[1], keepdims=0)
    g.op("Identity", [_projection(g, peaks)], outputs=["embedding"])
    g.output("embedding", ow.FLOAT, ["N", DIM])
    ow.save(g, path, opset=13, metadata={
        "framework": "3d-speaker", "language": "English",
        "url": "https://www.modelscope.cn/models/damo/speech_campplus_sv_en_voxceleb_16k/summary",
        "comment": "This model is from damo/speech_campplus_sv_en_voxceleb_16k",
        "sample_rate": 16000, "output_dim": DIM, "normalize_samples": 1,
        "feature_normalize_type": "global-mean"})


def wespeaker(path):
    g = ow.Graph("resnet34")
    x = g.input("feats", ow.FLOAT, ["B", "T", FEAT])
    peaks = g.op("ReduceMax", [x], axes=[1], keepdims=0)
    g.op("Identity", [_projection(g, peaks)], outputs=["embs"])
    g.output("embs", ow.FLOAT, ["B", DIM])
    # As add_meta_data.py writes it (normalize_features; sherpa-onnx's reader wants normalize_samples).
    ow.save(g, path, metadata={
        "framework": "wespeaker", "language": "English",
        "url": "https://github.com/wenet-e2e/wespeaker/blob/master/docs/pretrained.md",
        "comment": "no comment", "sample_rate": 16000, "output_dim": DIM, "normalize_features": 0})


def nemo(path):
    g = ow.Graph("titanet")
    x = g.input("audio_signal", ow.FLOAT, ["B", FEAT, "T"])
    length = g.input("length", ow.INT64, ["B"])
    peaks = g.op("ReduceMax", [x], axes=[2], keepdims=0)                                  # [B, FEAT]
    # The length takes part (times zero) as in any export that reads it.
    zero = g.op("Mul", [g.op("Cast", [length], to=ow.FLOAT), g.const(ow.FLOAT, [], [0.0])])
    emb = g.op("Add", [_projection(g, peaks), g.op("Reshape", [zero, g.const(ow.INT64, [2], [-1, 1])])])
    g.op("Identity", [emb], outputs=["embs"])
    g.op("Identity", [g.op("Slice", [emb, g.const(ow.INT64, [1], [0]), g.const(ow.INT64, [1], [4]),
                                     g.const(ow.INT64, [1], [1])])], outputs=["logits"])
    g.output("logits", ow.FLOAT, ["B", 4])
    g.output("embs", ow.FLOAT, ["B", DIM])
    ow.save(g, path, metadata={
        "framework": "nemo", "language": "English",
        "url": "https://catalog.ngc.nvidia.com/orgs/nvidia/teams/nemo/models/titanet_small",
        "comment": "This model is from NeMo.", "sample_rate": 16000, "output_dim": DIM,
        "feature_normalize_type": "per_feature", "window_size_ms": 25, "window_stride_ms": 10,
        "window_type": "hann", "feat_dim": FEAT})


def generate(out):
    root = os.path.join(out, "speaker")
    for name, make in (("3dspeaker-campplus", three_d_speaker), ("wespeaker-resnet34", wespeaker),
                       ("nemo-titanet-small", nemo)):
        d = os.path.join(root, name)
        os.makedirs(d, exist_ok=True)
        make(os.path.join(d, "model.onnx"))
