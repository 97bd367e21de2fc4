package dev.sotto.engine;

import dev.sotto.decode.FrameSearch;
import dev.sotto.decode.Vocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded offline model, as a family loader hands it over: the encoder, the search over
 * its output (a transducer's, with its prediction network and joint, or CTC's), the
 * vocabulary and the ids of language-tag tokens (removed from the text and reported as
 * the language). {@code resources} are closed with the engine.
 */
public record OfflineModel(String family, Path directory, OfflineEncoder encoder, FrameSearch search,
                           Vocabulary vocabulary, Map<Integer, String> languageTags, List<AutoCloseable> resources) {
}
