package dev.sotto.engine;

import dev.sotto.features.FrontEnd;
import dev.sotto.features.NemoMel;
import dev.sotto.features.WhisperMel;
import java.util.Arrays;

/**
 * The features a model's encoder sees, computed offline over a whole input: what
 * {@code sotto features} writes so users can check parity against the reference
 * implementation (NeMo's preprocessor, Kaldi's fbank, Whisper's log-mel).
 */
public final class Features {
    private final Extractor extractor;
    private final String description;

    /** How one front end turns all of an input into frames. */
    interface Extractor {
        int dim();

        void accept(float[] samples, int offset, int length);

        float[][] finish();
    }

    Features(Extractor extractor, String description) {
        this.extractor = extractor;
        this.description = description;
    }

    /** A streaming front end run over the whole input, optionally with NeMo's per_feature normalisation. */
    public static Features streaming(FrontEnd frontEnd, boolean perFeature, String description) {
        return new Features(new Extractor() {
            @Override
            public int dim() {
                return frontEnd.dim();
            }

            @Override
            public void accept(float[] samples, int offset, int length) {
                frontEnd.accept(samples, offset, length);
            }

            @Override
            public float[][] finish() {
                frontEnd.finish();
                float[][] out = new float[frontEnd.framesReady()][frontEnd.dim()];
                for (int i = 0; i < out.length; i++) frontEnd.copyFrames(i, 1, out[i], 0);
                if (perFeature) NemoMel.normalizePerFeature(out);
                return out;
            }
        }, description);
    }

    /** Features computed over the whole input at its end by {@code extractor} (16 kHz samples → [frames][dim]). */
    public static Features whole(int dim, java.util.function.Function<float[], float[][]> extractor, String description) {
        return new Features(new Extractor() {
            private float[] audio = new float[16000 * 30];
            private int length;

            @Override
            public int dim() {
                return dim;
            }

            @Override
            public void accept(float[] samples, int offset, int n) {
                if (length + n > audio.length) audio = Arrays.copyOf(audio, Math.max(length + n, audio.length * 2));
                System.arraycopy(samples, offset, audio, length, n);
                length += n;
            }

            @Override
            public float[][] finish() {
                return extractor.apply(Arrays.copyOf(audio, length));
            }
        }, description);
    }

    /** Whisper's log-mel of the whole signal, as openai's {@code log_mel_spectrogram(audio)}: one maximum over all of it. */
    public static Features whisper(int nMels) {
        return whole(nMels, audio -> {
            float[] melMajor = new WhisperMel(nMels).logMel(audio);
            int frames = melMajor.length / nMels;
            float[][] out = new float[frames][nMels];
            for (int m = 0; m < nMels; m++) {
                for (int t = 0; t < frames; t++) out[t][m] = melMajor[m * frames + t];
            }
            return out;
        }, "Whisper log-mel, " + nMels + " bins, over the whole file (no 30 s windows)");
    }

    public int dim() {
        return extractor.dim();
    }

    public String description() {
        return description;
    }

    /** 16 kHz mono samples. */
    public void accept(float[] samples, int offset, int length) {
        extractor.accept(samples, offset, length);
    }

    /** All frames [frames][dim], normalised as the model's metadata asks. */
    public float[][] finish() {
        return extractor.finish();
    }
}
