package dev.sotto.server.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.sotto.SottoException;
import dev.sotto.server.core.UrlFetcher.Fetched;

/**
 * {@code file:} URLs: only regular files that lie, once symbolic links and ".." are resolved,
 * under one of the operator's roots. Without roots, no file at all.
 */
final class LocalFiles {
    private final UrlPolicy policy;
    private final List<Path> roots; // real paths

    LocalFiles(UrlPolicy policy) {
        this.policy = policy;
        List<Path> real = new ArrayList<>();
        for (Path root : policy.fileRoots()) {
            try {
                real.add(root.toRealPath());
            } catch (IOException e) {
                throw new SottoException("--allow-file-root " + root + ": no such directory. Pass a directory that exists.");
            }
            if (!Files.isDirectory(real.get(real.size() - 1))) {
                throw new SottoException("--allow-file-root " + root + ": not a directory. Pass a directory.");
            }
        }
        this.roots = List.copyOf(real);
    }

    /** Copies the file {@code uri} names into {@code spoolDir}, if it may be read. */
    Fetched fetch(URI uri, Path spoolDir) {
        String where = FetchMessages.shown(uri);
        Path file = check(uri, where);
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size > policy.maxBytes()) {
                throw FetchMessages.tooLarge(where, size, policy.maxBytes());
            }
            return Spool.copy(in, spoolDir, UrlFetcher.fileName(uri), where, policy, () -> false);
        } catch (IOException e) {
            throw FetchMessages.readFailed(where, 0, e);
        }
    }

    /** The real path of the regular file {@code uri} names, if it may be read. */
    private Path check(URI uri, String where) {
        if (roots.isEmpty()) { // refused before looking at the disk, so nothing about it leaks
            throw FetchMessages.localFileRefused(where);
        }
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw FetchMessages.badFileUrl(where, e.getMessage());
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            // "No such file" only inside a root: outside, the answer must not tell what exists.
            if (roots.stream().anyMatch(path.normalize()::startsWith)) {
                throw FetchMessages.noSuchFile(where);
            }
            throw FetchMessages.localFileRefused(where);
        }
        if (roots.stream().noneMatch(real::startsWith)) {
            throw FetchMessages.localFileRefused(where);
        }
        if (!Files.isRegularFile(real)) { // a directory, or a pipe that could block forever
            throw FetchMessages.notRegularFile(where);
        }
        return real;
    }
}
