package dev.sotto.models;

import java.nio.file.Path;

/**
 * Relative paths taken from archives, bundles and catalogues, checked before anything is
 * written: a name that could land outside the directory it is unpacked into is refused.
 */
final class SafePaths {
    private SafePaths() {
    }

    /** Why {@code name} is not a safe relative path ({@code a/b/c.onnx}), or null when it is. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) return "empty path";
        if (name.indexOf('\0') >= 0) return "NUL character in the path";
        if (name.indexOf('\\') >= 0) return "backslash in the path";
        if (name.startsWith("/")) return "absolute path";
        if (name.length() >= 2 && name.charAt(1) == ':') return "absolute (drive) path";
        for (String part : name.split("/", -1)) {
            if (part.equals("..")) return "'..' in the path (it would escape the directory)";
            if (part.isEmpty() || part.equals(".")) return "empty or '.' path component";
        }
        return null;
    }

    /**
     * {@code base/name} after checking {@code name}; also checks the resolved path stays under
     * {@code base}, so no spelling of the name can escape it.
     */
    static Path resolve(Path base, String name) {
        String problem = problem(name);
        if (problem != null) throw new IllegalArgumentException(problem);
        Path target = base.resolve(name).normalize();
        if (!target.startsWith(base.normalize())) throw new IllegalArgumentException("the path escapes " + base);
        return target;
    }

    /** {@code name} without a leading {@code ./} (tar writes those) and trailing slashes (directories). */
    static String clean(String name) {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        while (n.endsWith("/")) n = n.substring(0, n.length() - 1);
        return n;
    }
}
