#!/usr/bin/env python3
"""Reference values for Sotto's Whisper front end (features.WhisperMel).

Written from the published algorithm (openai/whisper audio.py, described in
asr-anchors.md section 3.3), not from Sotto's Java code, and using the real
filterbank file `mel_filters.npz`, so the Java test compares two independent
implementations:

  1. periodic Hann window of 400 samples, frames every 160 samples,
     centred: the signal is reflect-padded by 200 samples on each side;
  2. power spectrum |rfft|^2 (201 bins); the last frame is dropped;
  3. mel = filters @ power; log10 with a 1e-10 floor; values below
     (max - 8) raised to it; (x + 4) / 4.

Run with the system Python, which has numpy (no torch, no librosa):

    /usr/bin/python3 models/reference/whisper_mel_reference.py \
        --shared ../shared --out src/test/resources/reference

Outputs (float32 .npy, [n_mels, frames]) are kept small on purpose.
"""

import argparse
import os
import wave

import numpy as np

SAMPLE_RATE, N_FFT, HOP = 16000, 400, 160


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getframerate() == SAMPLE_RATE and w.getsampwidth() == 2, path
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        channels = w.getnchannels()
    x = data.astype(np.float64).reshape(-1, channels).mean(axis=1)
    return x / 32768.0


def log_mel(audio, filters):
    padded = np.pad(audio, N_FFT // 2, mode="reflect")
    n = np.arange(N_FFT)
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * n / N_FFT)   # periodic Hann
    count = 1 + (len(padded) - N_FFT) // HOP
    frames = np.stack([padded[i * HOP:i * HOP + N_FFT] * window for i in range(count)])
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2          # [frames, 201]
    power = power[:-1].T                                        # drop the last frame
    mel = filters.astype(np.float64) @ power
    log_spec = np.log10(np.maximum(mel, 1e-10))
    log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
    return ((log_spec + 4.0) / 4.0).astype(np.float32)


def decoding_window(audio, filters, seek, keep):
    """A 30 s decoding window as transcribe() cuts it: the signal followed by 30 s of
    zeros, frames [seek, seek + 3000), normalised over the window; the first `keep`
    frames are returned."""
    padded = np.concatenate([audio, np.zeros(30 * SAMPLE_RATE)])
    spec = log_mel_unnormalised(padded, filters)[:, seek:seek + 3000]
    spec = np.maximum(spec, spec.max() - 8.0)
    return ((spec + 4.0) / 4.0).astype(np.float32)[:, :keep]


def log_mel_unnormalised(audio, filters):
    padded = np.pad(audio, N_FFT // 2, mode="reflect")
    n = np.arange(N_FFT)
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * n / N_FFT)
    count = 1 + (len(padded) - N_FFT) // HOP
    frames = np.stack([padded[i * HOP:i * HOP + N_FFT] * window for i in range(count)])
    power = (np.abs(np.fft.rfft(frames, axis=1)) ** 2)[:-1].T
    return np.log10(np.maximum(filters.astype(np.float64) @ power, 1e-10))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--out", default="src/test/resources/reference")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    filters = np.load(os.path.join(args.shared, "models/whisper-assets/mel_filters.npz"))

    cases = [
        # (output name, audio file, first sample, sample count, filter key)
        ("whisper-mel80-jfk-4s.npy", "audio/en/jfk.wav", 0, 4 * SAMPLE_RATE, "mel_80"),
        ("whisper-mel128-jfk-2.5s-from-3s.npy", "audio/en/jfk.wav", 3 * SAMPLE_RATE,
         SAMPLE_RATE * 5 // 2, "mel_128"),
    ]
    for name, wav, start, count, key in cases:
        audio = read_wav(os.path.join(args.shared, wav))[start:start + count]
        mel = log_mel(audio.astype(np.float32).astype(np.float64), filters[key])
        np.save(os.path.join(args.out, name), mel)
        print(name, mel.shape, float(mel.min()), float(mel.max()))

    # A window starting 5 s into jfk.wav (11 s): its end shows the zero padding.
    audio = read_wav(os.path.join(args.shared, "audio/en/jfk.wav")).astype(np.float32).astype(np.float64)
    mel = decoding_window(audio, filters["mel_80"], seek=500, keep=640)
    np.save(os.path.join(args.out, "whisper-mel80-jfk-window-seek500.npy"), mel)
    print("window", mel.shape, float(mel.min()), float(mel.max()))


if __name__ == "__main__":
    main()
