package dev.sotto.engine;

/**
 * How to search and what to ask the model for.
 *
 * <ul>
 *   <li>{@code language}: null or {@code auto} to detect; otherwise a language the model
 *       knows ({@code de-DE} or {@code de} for Nemotron 3.5, {@code de} for Whisper).
 *   <li>{@code beamSize}: 1 is greedy search; more is beam search (modified beam search for
 *       transducers). 0 picks the family's default: greedy for transducers, 5 for Whisper.
 *   <li>{@code task}: {@code transcribe} or {@code translate} (Whisper, to English).
 *   <li>{@code prompt}: text that conditions Whisper's decoder (initial prompt).
 *   <li>{@code vad}: cut the audio at silences with Silero VAD before decoding (Whisper, and
 *       offline NeMo models even for short inputs); {@code vadModel} is the Silero VAD file
 *       (v5 or v6) to use.
 *   <li>{@code batchSize}: offline models: how many pieces (files, or pieces of long ones)
 *       one encoder call takes; a stream waits until it has that many or its input ends.
 * </ul>
 */
public final class DecodingConfig {
    public static final DecodingConfig DEFAULT = builder().build();

    private final String language;
    private final int beamSize;
    private final String task;
    private final String prompt;
    private final boolean vad;
    private final java.nio.file.Path vadModel;
    private final int batchSize;
    private final int emissionDelayMs;
    private final boolean keepNonSpeech;

    private DecodingConfig(Builder b) {
        this.language = b.language == null || b.language.isBlank() ? "auto" : b.language.trim();
        this.beamSize = b.beamSize;
        this.task = b.task;
        this.prompt = b.prompt;
        this.vad = b.vad || b.vadModel != null;
        this.vadModel = b.vadModel;
        this.batchSize = b.batchSize;
        this.emissionDelayMs = b.emissionDelayMs;
        this.keepNonSpeech = b.keepNonSpeech;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String language() {
        return language;
    }

    public boolean autoLanguage() {
        return language.equalsIgnoreCase("auto");
    }

    public int beamSize() {
        return beamSize;
    }

    public String task() {
        return task;
    }

    public String prompt() {
        return prompt;
    }

    public boolean vad() {
        return vad;
    }

    /** The Silero VAD model file, or null to look for one (see the Whisper loader). */
    public java.nio.file.Path vadModel() {
        return vadModel;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The emission delay asked for in ms, or -1 for the model's own. */
    public int emissionDelayMs() {
        return emissionDelayMs;
    }

    /** The emission delay in seconds: the one asked for, else {@code modelDefault}. */
    public double emissionDelaySeconds(double modelDefault) {
        return emissionDelayMs >= 0 ? emissionDelayMs / 1000.0 : modelDefault;
    }

    /** Whisper: whether its non-speech tokens ([Music], (laughs), ♪) may be emitted rather than suppressed. */
    public boolean keepNonSpeech() {
        return keepNonSpeech;
    }

    public Builder toBuilder() {
        return new Builder().language(language).beamSize(beamSize).task(task).prompt(prompt).vad(vad).vadModel(vadModel)
                .batchSize(batchSize).emissionDelayMs(emissionDelayMs).keepNonSpeech(keepNonSpeech);
    }

    public static final class Builder {
        private String language = "auto";
        private int beamSize;
        private String task = "transcribe";
        private String prompt;
        private boolean vad;
        private java.nio.file.Path vadModel;
        private int batchSize = 1;
        private int emissionDelayMs = -1;
        private boolean keepNonSpeech;

        /** Whisper: let it write its non-speech tokens (for audio events) instead of suppressing them as openai/whisper does. */
        public Builder keepNonSpeech(boolean keepNonSpeech) {
            this.keepNonSpeech = keepNonSpeech;
            return this;
        }

        public Builder language(String language) {
            this.language = language;
            return this;
        }

        public Builder beamSize(int beamSize) {
            if (beamSize < 0) throw new IllegalArgumentException("beam size must be >= 0");
            this.beamSize = beamSize;
            return this;
        }

        public Builder task(String task) {
            if (!task.equals("transcribe") && !task.equals("translate")) {
                throw new dev.sotto.SottoException("unknown task '" + task + "': use transcribe or translate");
            }
            this.task = task;
            return this;
        }

        public Builder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        public Builder vad(boolean vad) {
            this.vad = vad;
            return this;
        }

        /** A Silero VAD model file; implies {@link #vad(boolean) vad(true)}. */
        public Builder vadModel(java.nio.file.Path vadModel) {
            this.vadModel = vadModel;
            return this;
        }

        /** Ms to subtract from word starts (0 to 2000), or -1 for the model's measured delay. */
        public Builder emissionDelayMs(int emissionDelayMs) {
            if (emissionDelayMs < -1 || emissionDelayMs > 2000) {
                throw new dev.sotto.SottoException("emission delay " + emissionDelayMs
                        + " ms: give 0 to 2000 ms (or leave it out for the model's measured delay)");
            }
            this.emissionDelayMs = emissionDelayMs;
            return this;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1");
            this.batchSize = batchSize;
            return this;
        }

        public DecodingConfig build() {
            return new DecodingConfig(this);
        }
    }
}
