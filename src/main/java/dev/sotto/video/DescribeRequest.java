package dev.sotto.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the user asks about a video, with fal's defaults and ranges for Nemotron 3 Nano Omni:
 * {@code max_tokens} 1–20000 (1024), {@code temperature} 0–2 (0.7), {@code top_p} 0–1 (0.95),
 * {@code reasoning_mode} think or no_think (no_think). {@code systemPrompt}, when given,
 * replaces the reasoning control as the system message (fal's documented behaviour).
 */
public record DescribeRequest(String prompt, String systemPrompt, Reasoning reasoning, int maxTokens, double temperature,
                              double topP) {
    public static final int DEFAULT_MAX_TOKENS = 1024;
    public static final int MAX_MAX_TOKENS = 20000;
    public static final double DEFAULT_TEMPERATURE = 0.7;
    public static final double DEFAULT_TOP_P = 0.95;

    /** Nemotron's reasoning switch: the system message {@code /think} or {@code /no_think}. */
    public enum Reasoning {
        THINK("think", "/think"), NO_THINK("no_think", "/no_think");

        private final String id;
        private final String control;

        Reasoning(String id, String control) {
            this.id = id;
            this.control = control;
        }

        public String id() {
            return id;
        }

        /** The system message that switches Nemotron's reasoning on or off. */
        public String control() {
            return control;
        }

        /** The mode called {@code id}, or null. */
        public static Reasoning of(String id) {
            for (Reasoning r : values()) if (r.id.equals(id)) return r;
            return null;
        }
    }

    /** One field that is out of range or of the wrong kind, in pydantic's terms (fal validates with pydantic). */
    public record FieldError(String field, String message, String type, Map<String, Object> context) {
    }

    /** A request with field errors; the message lists them all. */
    public static final class Invalid extends dev.sotto.SottoException {
        private final List<FieldError> errors;

        public Invalid(List<FieldError> errors) {
            super(String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList()));
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /**
     * Checks the values (null: the default) and builds the request; every field out of range is
     * reported at once in an {@link Invalid}.
     */
    public static DescribeRequest of(String prompt, String systemPrompt, String reasoning, Number maxTokens, Number temperature,
                                     Number topP) {
        List<FieldError> errors = new ArrayList<>();
        if (prompt == null || prompt.isBlank()) errors.add(new FieldError("prompt", "Field required", "missing", Map.of()));
        Reasoning mode = reasoning == null ? Reasoning.NO_THINK : Reasoning.of(reasoning.strip().toLowerCase(Locale.ROOT));
        if (mode == null) {
            errors.add(new FieldError("reasoning_mode", "Input should be 'think' or 'no_think' (got '" + reasoning + "')", "enum",
                    Map.of("expected", "'think' or 'no_think'")));
        }
        int tokens = DEFAULT_MAX_TOKENS;
        if (maxTokens != null) {
            if (maxTokens.doubleValue() != Math.rint(maxTokens.doubleValue())) {
                errors.add(new FieldError("max_tokens", "Input should be a valid integer (got " + maxTokens + ")", "int_type", Map.of()));
            } else {
                tokens = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, maxTokens.longValue()));
                range(errors, "max_tokens", tokens, 1, MAX_MAX_TOKENS);
            }
        }
        double temp = temperature == null ? DEFAULT_TEMPERATURE : temperature.doubleValue();
        range(errors, "temperature", temp, 0, 2);
        double p = topP == null ? DEFAULT_TOP_P : topP.doubleValue();
        range(errors, "top_p", p, 0, 1);
        if (!errors.isEmpty()) throw new Invalid(errors);
        return new DescribeRequest(prompt, systemPrompt == null || systemPrompt.isBlank() ? null : systemPrompt, mode, tokens, temp, p);
    }

    private static void range(List<FieldError> errors, String field, double value, double min, double max) {
        if (Double.isNaN(value) || value < min) {
            errors.add(new FieldError(field, "Input should be greater than or equal to " + number(min) + " (got " + number(value) + ")",
                    "greater_than_equal", Map.of("ge", min == Math.rint(min) ? (Object) (long) min : min)));
        } else if (value > max) {
            errors.add(new FieldError(field, "Input should be less than or equal to " + number(max) + " (got " + number(value) + ")",
                    "less_than_equal", Map.of("le", max == Math.rint(max) ? (Object) (long) max : max)));
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The system message: the caller's system prompt, else the reasoning control. */
    public String systemMessage() {
        return systemPrompt != null ? systemPrompt : reasoning.control();
    }
}
