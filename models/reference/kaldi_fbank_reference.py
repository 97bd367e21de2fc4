#!/usr/bin/python3
"""Reference Kaldi fbank values for dev.sotto.features.KaldiFbank's tests.

    /usr/bin/python3 models/reference/kaldi_fbank_reference.py \
        --shared ../shared --out src/test/resources/reference

An independent, offline (whole signal at once), float64 numpy implementation of the
Kaldi filterbank as sherpa-onnx configures kaldi-native-fbank for streaming
transducers: samples in [-1, 1], 25 ms / 10 ms frames, snip_edges=false (frame f is
centred on 160 f + 80, mirrored edges), no dither, DC offset removed, pre-emphasis
0.97, Povey window, 512-point FFT, power spectrum, 80 HTK-mel triangles over
[20, 8000 - 400] Hz, natural log floored at float32 epsilon. The window and the mel
weights are rounded to float32 as Kaldi stores them: bins that hold almost no energy
are sensitive to that at the 1e-3 level.

It writes (all float32):
  fbank-jfk-3s.npy          features of the first 3 s of audio/en/jfk.wav, read as int16 / 32768
  fbank-synthetic-input.npy a synthetic signal (silence, a chirp, noise, DC offset)
  fbank-synthetic.npy       its features
Needs numpy only.
"""

import argparse
import os
import wave

import numpy as np

SAMPLE_RATE = 16000
SHIFT = 160
LENGTH = 400
FFT = 512
BINS = 80
LOW_HZ = 20.0
HIGH_HZ = SAMPLE_RATE / 2 - 400.0
PREEMPHASIS = 0.97


def mel(hz):
    # Single precision as in Kaldi; the log is taken in float64 and rounded, as glibc's
    # logf is correctly rounded and numpy's float32 log is not always.
    hz = np.asarray(hz, dtype=np.float32)
    ratio = np.float32(1.0) + hz / np.float32(700.0)
    return np.float32(1127.0) * np.log(ratio.astype(np.float64)).astype(np.float32)


def mel_matrix():
    """[BINS, FFT//2] triangles in mel, evaluated at FFT bin centres 0 .. FFT/2 - 1."""
    f32 = np.float32
    lo, hi = mel(LOW_HZ), mel(HIGH_HZ)
    delta = (hi - lo) / f32(BINS + 1)
    bin_mel = mel(np.arange(FFT // 2, dtype=f32) * f32(SAMPLE_RATE / FFT))
    m = np.zeros((BINS, FFT // 2), dtype=f32)
    for b in range(BINS):
        left, centre, right = lo + f32(b) * delta, lo + f32(b + 1) * delta, lo + f32(b + 2) * delta
        up = (bin_mel - left) / (centre - left)
        down = (right - bin_mel) / (right - centre)
        inside = (bin_mel > left) & (bin_mel < right)
        m[b] = np.where(inside, np.where(bin_mel <= centre, up, down), f32(0))
    return m.astype(np.float64)


def povey_window():
    n = np.arange(LENGTH)
    # Kaldi keeps the window in single precision.
    return ((0.5 - 0.5 * np.cos(2 * np.pi * n / (LENGTH - 1))) ** 0.85).astype(np.float32).astype(np.float64)


def fbank(x):
    x = np.asarray(x, dtype=np.float64)
    frames = (len(x) + SHIFT // 2) // SHIFT
    # Enough mirrored padding on both sides for every frame (numpy 'symmetric' = Kaldi's x[-1] = x[0]).
    pad = LENGTH
    padded = np.pad(x, (pad, pad), mode="symmetric")
    window, mels = povey_window(), mel_matrix()
    out = np.empty((frames, BINS))
    for f in range(frames):
        start = SHIFT * f + SHIFT // 2 - LENGTH // 2
        w = padded[start + pad:start + pad + LENGTH].copy()
        w -= w.mean()
        w = np.concatenate(([w[0] * (1 - PREEMPHASIS)], w[1:] - PREEMPHASIS * w[:-1]))
        w *= window
        power = np.abs(np.fft.rfft(w, FFT)) ** 2
        energies = mels @ power[:FFT // 2]
        out[f] = np.log(np.maximum(energies, np.finfo(np.float32).eps))
    return out.astype(np.float32)


def read_wav(path):
    with wave.open(path) as w:
        assert w.getframerate() == SAMPLE_RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0


def synthetic():
    rng = np.random.default_rng(20261121)
    n = 8123  # odd on purpose: the last frames are mirrored at a ragged end
    t = np.arange(n) / SAMPLE_RATE
    x = 0.3 * np.sin(2 * np.pi * (200 * t + 3000 * t * t))  # chirp
    x += 0.05 * rng.standard_normal(n)
    x += 0.02  # DC offset
    x[:700] = 0.0  # digital silence at the start: log floor on the first frames
    return x.astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--out", default="src/test/resources/reference")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    jfk = read_wav(os.path.join(args.shared, "audio/en/jfk.wav"))[:3 * SAMPLE_RATE]
    np.save(os.path.join(args.out, "fbank-jfk-3s.npy"), fbank(jfk))
    x = synthetic()
    np.save(os.path.join(args.out, "fbank-synthetic-input.npy"), x)
    np.save(os.path.join(args.out, "fbank-synthetic.npy"), fbank(x))


if __name__ == "__main__":
    main()
