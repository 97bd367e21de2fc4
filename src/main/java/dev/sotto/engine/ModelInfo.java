package dev.sotto.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * What a loaded model is and where it runs.
 *
 * @param family     {@code nemo-transducer}, {@code zipformer-transducer} or {@code whisper}
 * @param name       a short name (the model directory's)
 * @param directory  the directory the files were loaded from
 * @param chunkMs    audio per streaming chunk in ms; 0 for models that are not streaming
 * @param languages  the languages the model can be asked for (empty: monolingual)
 * @param provider   the ONNX Runtime execution provider that runs it
 * @param providerReason why that provider: asked for, or what {@code auto} found (and for a GPU,
 *                   which one and which CUDA libraries)
 */
public record ModelInfo(String family, String name, Path directory, int chunkMs, List<String> languages,
                        String provider, String providerReason, boolean translates) {
}
