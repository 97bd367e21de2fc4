package dev.sotto.models;

import java.util.Locale;

/** The archive formats model publishers use, told apart by file name. */
enum ArchiveFormat {
    TAR_BZ2(".tar.bz2", ".tbz2"),
    TAR_GZ(".tar.gz", ".tgz"),
    TAR(".tar"),
    ZIP(".zip");

    private final String[] suffixes;

    ArchiveFormat(String... suffixes) {
        this.suffixes = suffixes;
    }

    /** The format of a file called {@code name}, or null when it is none of them. */
    static ArchiveFormat of(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (ArchiveFormat f : values()) {
            for (String s : f.suffixes) if (lower.endsWith(s)) return f;
        }
        return null;
    }
}
