package dev.sotto.models;

/** One installed or bundled file: its path relative to the model directory, size and sha256. */
public record FileDigest(String path, long size, String sha256) {
}
