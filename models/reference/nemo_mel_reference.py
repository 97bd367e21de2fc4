#!/usr/bin/env python3
"""Reference values for Sotto's NeMo log-mel front end (tests compare with them).

An independent numpy implementation of NeMo's AudioToMelSpectrogramPreprocessor
as streaming Nemotron models configure it (features.py FilterbankFeatures):
preemphasis 0.97, torch.stft(n_fft=512, hop=160, win=400, center=True,
pad_mode="constant", window=hann(400, periodic=False)), power, librosa slaney mel
(fmin 0, fmax 8000), log(x + 2**-24), optional per_feature normalisation
(unbiased std, + 1e-5). Computed in float64.

    /usr/bin/python3 models/reference/nemo_mel_reference.py  [needs numpy]

Writes the expected features (and the synthetic input it made) to
src/test/resources/reference/ (small files, committed). The speech inputs are the
first 2 s and 4 s of ../shared/audio/en/jfk.wav, which the tests read in place.
"""
import os
import wave

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "src", "test", "resources", "reference")
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
SR, N_FFT, HOP, WIN = 16000, 512, 160, 400


def slaney_mel_filters(n_mels, sr=SR, n_fft=N_FFT, fmin=0.0, fmax=8000.0):
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0

    def hz_to_mel(f):
        f = np.asarray(f, dtype=np.float64)
        return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, f / f_sp)

    def mel_to_hz(m):
        return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)

    edges = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    fb = np.zeros((n_mels, len(freqs)))
    for m in range(n_mels):
        left, centre, right = edges[m], edges[m + 1], edges[m + 2]
        rising = (freqs - left) / (centre - left)
        falling = (right - freqs) / (right - centre)
        fb[m] = np.maximum(0, np.minimum(rising, falling)) * 2.0 / (right - left)
    return fb.astype(np.float32).astype(np.float64)


def nemo_mel(x, n_mels, per_feature=False, all_features=False):
    x = np.asarray(x, dtype=np.float64)
    y = np.concatenate([x[:1], x[1:] - 0.97 * x[:-1]])
    padded = np.pad(y, N_FFT // 2)
    n_frames = len(x) // HOP + 1
    n = np.arange(WIN)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * n / (WIN - 1))
    window = np.pad(window, ((N_FFT - WIN) // 2, (N_FFT - WIN) // 2))
    frames = np.stack([padded[i * HOP:i * HOP + N_FFT] for i in range(n_frames)])
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    mel = power @ slaney_mel_filters(n_mels).T
    logmel = np.log(mel + 2.0 ** -24)
    if per_feature:
        mean = logmel.mean(axis=0)
        std = logmel.std(axis=0, ddof=1)
        logmel = (logmel - mean) / (std + 1e-5)
    if all_features:
        logmel = (logmel - logmel.mean()) / (logmel.std(ddof=1) + 1e-5)
    return logmel.astype(np.float32)


def read_wav(path):
    with wave.open(path) as w:
        assert w.getframerate() == SR and w.getsampwidth() == 2 and w.getnchannels() == 1
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0


def main():
    os.makedirs(OUT, exist_ok=True)
    speech = read_wav(os.path.join(SHARED, "audio", "en", "jfk.wav"))[:2 * SR]
    rng = np.random.default_rng(20261121)
    t = np.arange(int(1.37 * SR)) / SR
    chirp = (0.5 * np.sin(2 * np.pi * (100 * t + 2500 * t * t)) + 0.01 * rng.standard_normal(len(t))).astype(np.float32)
    np.save(os.path.join(OUT, "nemo_input_chirp.npy"), chirp)
    np.save(os.path.join(OUT, "nemo_mel128_jfk2s.npy"), nemo_mel(speech, 128))
    np.save(os.path.join(OUT, "nemo_mel80_chirp.npy"), nemo_mel(chirp, 80))
    np.save(os.path.join(OUT, "nemo_mel80_chirp_per_feature.npy"), nemo_mel(chirp, 80, per_feature=True))
    write_offline_references()


def write_offline_references():
    """What the offline (Parakeet) front end gives for the first 4 s of jfk.wav: 128 bins
    per_feature (Parakeet TDT), 80 bins all_features."""
    speech = read_wav(os.path.join(SHARED, "audio", "en", "jfk.wav"))[:4 * SR]
    np.save(os.path.join(OUT, "nemo_mel128_jfk4s_per_feature.npy"), nemo_mel(speech, 128, per_feature=True))
    np.save(os.path.join(OUT, "nemo_mel80_jfk4s_all_features.npy"), nemo_mel(speech, 80, all_features=True))


if __name__ == "__main__":
    main()
