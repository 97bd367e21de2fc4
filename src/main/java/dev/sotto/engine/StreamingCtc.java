package dev.sotto.engine;

import dev.sotto.decode.Vocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded streaming CTC model (NeMo's cache-aware CTC export), as a family loader hands
 * it over: its encoder yields log-probabilities over the vocabulary and {@code blankId}
 * for each frame. {@code resources} are closed with the engine.
 */
public record StreamingCtc(String family, Path directory, int chunkMs, StreamingEncoder encoder, int blankId,
                           Vocabulary vocabulary, Map<Integer, String> languageTags, List<AutoCloseable> resources) {
}
