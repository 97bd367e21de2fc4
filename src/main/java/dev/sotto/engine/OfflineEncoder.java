package dev.sotto.engine;

import java.util.List;

/**
 * The encoder side of an offline model (NeMo FastConformer with full attention): the
 * features of a piece of audio, and one encoder call over a batch of pieces padded to the
 * longest, each with its length.
 */
public interface OfflineEncoder extends AutoCloseable {
    /** The encoder's input for a piece of 16 kHz audio: [frames][dim], normalised as the model expects. */
    float[][] features(float[] samples);

    /**
     * Samples per encoder output frame. Pieces start on multiples of it, so token times fall
     * on the same grid as when the whole input is encoded at once.
     */
    int frameSamples();

    default double frameSeconds() {
        return frameSamples() / 16000.0;
    }

    /** How long after its sound the model typically emits a token, in seconds (see {@link StreamingEncoder#emissionDelaySeconds()}). */
    default double emissionDelaySeconds() {
        return 0;
    }

    /** Most pieces one call may take (the export's fixed batch size, or {@link Integer#MAX_VALUE}). */
    int maxBatch();

    /** Encodes the pieces' features in one call: per piece its valid output frames [frame][dim]. */
    float[][][] encode(List<float[][]> features);

    @Override
    void close();
}
