package dev.sotto.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * One model family as the registry sees it: it recognises its directories, loads them into
 * an {@link Engine}, and names their front end. Each family package (nemo, zipformer,
 * whisper) has one implementation, listed once in {@code dev.sotto.registry.ModelRegistry}.
 */
public interface ModelFamily {
    /** Whether {@code dir} (a model directory, or a directory of one model's exports) belongs to this family. */
    boolean recognises(Path dir);

    /** Loads the model the request names; fails with a {@link dev.sotto.SottoException} saying what is wrong. */
    Engine load(LoadRequest request);

    /** The offline front end of the model in {@code dir}, for {@code sotto features}. */
    Features features(Path dir);

    /** The chunk sizes (ms) {@code dir} offers without loading it; empty where the model does not stream in chunks. */
    default List<Integer> chunkSizes(Path dir) {
        return List.of();
    }
}
