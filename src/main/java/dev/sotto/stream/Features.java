package dev.sotto.stream;

import dev.sotto.features.FrontEnd;
import dev.sotto.features.NemoMel;
import java.nio.file.Path;

/**
 * The features a model's encoder sees, computed offline over a whole input: what
 * {@code sotto features} writes so users can check parity against the reference
 * implementation (NeMo's preprocessor, Kaldi's fbank, Whisper's log-mel).
 */
public final class Features {
    private final FrontEnd frontEnd;
    private final boolean perFeature;
    private final String description;

    Features(FrontEnd frontEnd, boolean perFeature, String description) {
        this.frontEnd = frontEnd;
        this.perFeature = perFeature;
        this.description = description;
    }

    /** The front end of the model in {@code dir} (a model or family directory). */
    public static Features forModel(Path dir) {
        return ModelLoader.features(dir.toAbsolutePath().normalize());
    }

    public int dim() {
        return frontEnd.dim();
    }

    public String description() {
        return description;
    }

    /** 16 kHz mono samples. */
    public void accept(float[] samples, int offset, int length) {
        frontEnd.accept(samples, offset, length);
    }

    /** All frames [frames][dim], normalised as the model's metadata asks. */
    public float[][] finish() {
        frontEnd.finish();
        float[][] out = new float[frontEnd.framesReady()][dim()];
        for (int i = 0; i < out.length; i++) frontEnd.copyFrames(i, 1, out[i], 0);
        if (perFeature) NemoMel.normalizePerFeature(out);
        return out;
    }
}
