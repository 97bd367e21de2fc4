package dev.sotto.runtime;

import dev.sotto.SottoException;

/** Where sessions run: {@code auto}, {@code cpu} or {@code cuda[:N]}. */
public record Device(Kind kind, int index) {
    public enum Kind { AUTO, CPU, CUDA }

    public static final Device AUTO = new Device(Kind.AUTO, 0);
    public static final Device CPU = new Device(Kind.CPU, 0);

    public static Device parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("auto")) return AUTO;
        if (s.equals("cpu")) return CPU;
        if (s.equals("cuda") || s.equals("gpu")) return new Device(Kind.CUDA, 0);
        if (s.startsWith("cuda:")) {
            try {
                int index = Integer.parseInt(s.substring(5));
                if (index >= 0) return new Device(Kind.CUDA, index);
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
        }
        throw new SottoException("unknown device '" + text + "': use auto, cpu, cuda or cuda:N (N = GPU index)");
    }

    @Override
    public String toString() {
        return kind == Kind.CUDA ? "cuda:" + index : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
