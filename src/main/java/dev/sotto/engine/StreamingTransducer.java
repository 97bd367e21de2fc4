package dev.sotto.engine;

import dev.sotto.decode.TransducerModel;
import dev.sotto.decode.Vocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded streaming transducer, as a family loader (nemo, zipformer) hands it over: the
 * encoder, the prediction network and joint, the vocabulary, and the ids of language-tag
 * tokens (removed from the text and reported as the language). {@code resources} are
 * closed with the engine.
 */
public record StreamingTransducer(String family, Path directory, int chunkMs, StreamingEncoder encoder,
                                  TransducerModel transducer, Vocabulary vocabulary,
                                  Map<Integer, String> languageTags, List<AutoCloseable> resources) {
}
