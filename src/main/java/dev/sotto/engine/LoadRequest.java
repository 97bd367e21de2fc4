package dev.sotto.engine;

import dev.sotto.runtime.Runtime;
import java.nio.file.Path;

/**
 * What a {@link ModelFamily} needs to load a model: the directory (absolute), the path as the
 * user gave it (for messages), the chunk size asked for (0 or null when not asked), how to
 * decode and endpoint, and the ONNX Runtime to create sessions in.
 */
public record LoadRequest(Path directory, Path userPath, int chunkMs, String acceleration, DecodingConfig decoding,
                          EndpointConfig endpoint, Runtime runtime) {
    /** The name a model is reported by: its directory's name. */
    public String name() {
        return directory.getFileName().toString();
    }

    /** Whether the user asked for a chunk size (by milliseconds or by fal's acceleration names). */
    public boolean chunkAsked() {
        return chunkMs != 0 || acceleration != null;
    }
}
