package dev.sotto.models;

import java.nio.file.Path;

/**
 * A model directory in the cache. {@code manifest} is null for a directory someone put there
 * by hand: it still loads by name, but there is nothing to verify it against.
 */
public record InstalledModel(String name, Path directory, ModelManifest manifest) {
}
