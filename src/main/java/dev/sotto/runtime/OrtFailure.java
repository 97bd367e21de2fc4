package dev.sotto.runtime;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The graph node an ONNX Runtime run failed in, read from ORT's error message
 * ("Non-zero status code returned while running Reshape node. Name:'/downsample/Reshape_1'
 * Status Message: …"), so loaders can tell the user which node of which file is broken
 * instead of showing ORT's text or a stack trace.
 *
 * @param op     the operator type, e.g. {@code Reshape}
 * @param node   the node name, e.g. {@code /downsample/Reshape_1}
 * @param detail ORT's explanation without the C++ source location and failed assertion
 */
public record OrtFailure(String op, String node, String detail) {
    private static final Pattern NODE = Pattern.compile("running (\\S+) node\\. Name:'([^']*)'(?: Status Message: (.*))?",
            Pattern.DOTALL);
    private static final Pattern SOURCE_PREFIX = Pattern.compile("^\\S+:\\d+ .*? was false\\. ", Pattern.DOTALL);

    /** The failing node named in {@code error}'s message or in one of its causes', if any. */
    public static Optional<OrtFailure> of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            Optional<OrtFailure> found = parse(t.getMessage());
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    static Optional<OrtFailure> parse(String message) {
        if (message == null) return Optional.empty();
        Matcher m = NODE.matcher(message);
        if (!m.find()) return Optional.empty();
        String detail = m.group(3) == null ? "" : SOURCE_PREFIX.matcher(m.group(3).strip()).replaceFirst("");
        return Optional.of(new OrtFailure(m.group(1), m.group(2), detail));
    }
}
