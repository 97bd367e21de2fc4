package dev.sotto.server.core;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.sotto.SottoException;

/**
 * Which {@code file:} URLs may be read: only regular files that lie, once symbolic links and
 * ".." are resolved, under one of the operator's roots. Without roots, no file at all.
 */
final class LocalFiles {
    private final List<Path> roots; // real paths

    LocalFiles(List<Path> roots) {
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            try {
                real.add(root.toRealPath());
            } catch (IOException e) {
                throw new SottoException("--allow-file-root " + root + ": no such directory (" + e.getMessage() + ")."
                        + " Pass a directory that exists.");
            }
            if (!Files.isDirectory(real.get(real.size() - 1))) {
                throw new SottoException("--allow-file-root " + root + ": not a directory. Pass a directory.");
            }
        }
        this.roots = List.copyOf(real);
    }

    /** The real path of the regular file {@code uri} names, if it may be read. */
    Path check(URI uri, String where) {
        if (roots.isEmpty()) { // refused before looking at the file system, so nothing about it leaks
            throw refused(where);
        }
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new FetchException(400, where + ": not a usable file URL (" + e.getMessage() + ")."
                    + " Write it as file:///absolute/path.");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            // "No such file" only inside a root: outside, the answer must not tell what exists.
            if (roots.stream().anyMatch(path.normalize()::startsWith)) {
                throw new FetchException(400, where + ": no such file. Check the path.");
            }
            throw refused(where);
        }
        if (roots.stream().noneMatch(real::startsWith)) {
            throw refused(where);
        }
        if (!Files.isRegularFile(real)) { // a directory, or a pipe that could block forever
            throw new FetchException(400, where + ": not a regular file. Name an audio file.");
        }
        return real;
    }

    /** The same answer for every file outside the roots: clients learn nothing about the server's disk. */
    private static FetchException refused(String where) {
        return new FetchException(400, where + ": local files are refused unless the server's operator passes"
                + " --allow-file-root DIR, and then only files under DIR. Upload the file instead, or pass"
                + " an http:// or https:// URL.");
    }
}
