package dev.sotto.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sotto.SottoException;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.runtime.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Silero VAD: the probability that each 32 ms frame (512 samples at 16 kHz) holds speech.
 * Two ONNX signatures are supported, told apart by their inputs:
 * <ul>
 *   <li>v5 ({@code silero_vad.onnx}): {@code input} [N, 576], {@code state} [2, N, 128],
 *       {@code sr} int64 scalar; one frame per call, N independent streams;</li>
 *   <li>v6 "sequence" export: {@code input} [frames, 576], {@code h}, {@code c} [1, 1, 128];
 *       many consecutive frames of one stream per call.</li>
 * </ul>
 * Each frame is fed with the last 64 samples of the previous frame in front (576 in all),
 * as Silero's own wrappers do. One {@link Stream} per audio stream holds that context and
 * the LSTM state.
 */
public final class SileroVad implements AutoCloseable {
    public static final int SAMPLE_RATE = 16000;
    public static final int FRAME = 512;
    public static final int CONTEXT = 64;
    private static final int STATE = 128;
    private static final int MAX_FRAMES_PER_CALL = 256;

    private final OnnxModel model;
    private final boolean sequence;   // v6 signature

    private SileroVad(OnnxModel model, boolean sequence) {
        this.model = model;
        this.sequence = sequence;
    }

    public static SileroVad open(Runtime runtime, Path file) {
        OnnxModel model = runtime.open(file);
        try {
            if (model.hasInput("state") && model.hasInput("sr") && model.hasInput("input")) {
                return new SileroVad(model, false);
            }
            if (model.hasInput("h") && model.hasInput("c") && model.hasInput("input")) {
                return new SileroVad(model, true);
            }
            throw new SottoException(file + ": not a Silero VAD model: expected inputs (input, state, sr) of v5 or "
                    + "(input, h, c) of v6, found " + model.inputs());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The Silero VAD model to use with the model in {@code modelDir} when none is named:
     * the file named by the system property {@code sotto.vad.model} or the environment
     * variable {@code SOTTO_VAD_MODEL}, else the first {@code silero_vad*.onnx} in
     * {@code modelDir}, then in its parent folder; null when there is none.
     */
    public static Path find(Path modelDir) {
        String named = System.getProperty("sotto.vad.model", System.getenv("SOTTO_VAD_MODEL"));
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            if (!Files.isRegularFile(p)) {
                throw new SottoException(p + ": no such Silero VAD model (from sotto.vad.model / SOTTO_VAD_MODEL)");
            }
            return p;
        }
        for (Path d : new Path[] {modelDir, modelDir.toAbsolutePath().getParent()}) {
            if (d == null || !Files.isDirectory(d)) continue;
            try (java.util.stream.Stream<Path> s = Files.list(d)) {
                Optional<Path> found = s.filter(p -> p.getFileName().toString().matches("silero_vad.*\\.onnx")).sorted()
                        .findFirst();
                if (found.isPresent()) return found.get();
            } catch (IOException e) {
                throw new SottoException(d + ": cannot list: " + e.getMessage(), e);
            }
        }
        return null;
    }

    /** "v5" or "v6". */
    public String version() {
        return sequence ? "v6" : "v5";
    }

    public Stream newStream() {
        return new Stream();
    }

    /** The VAD state of one audio stream: 16 kHz samples in, one probability per 512-sample frame out. */
    public final class Stream {
        private final float[] context = new float[CONTEXT];
        private float[] stateA = new float[sequence ? STATE : 2 * STATE];   // v5: state; v6: h
        private float[] stateB = new float[STATE];                          // v6: c
        private final float[] pending = new float[FRAME];
        private int pendingCount;

        private Stream() {
        }

        /** Appends samples; returns the probabilities of the frames they complete. */
        public float[] accept(float[] samples, int offset, int length) {
            int frames = (pendingCount + length) / FRAME;
            float[] windows = new float[frames * (CONTEXT + FRAME)];
            int made = 0;
            int i = offset;
            int end = offset + length;
            while (i < end) {
                int take = Math.min(FRAME - pendingCount, end - i);
                System.arraycopy(samples, i, pending, pendingCount, take);
                pendingCount += take;
                i += take;
                if (pendingCount == FRAME) {
                    addWindow(windows, made++);
                    pendingCount = 0;
                }
            }
            return run(windows, frames);
        }

        /** End of audio: the last partial frame, zero padded (as Silero pads it), or nothing. */
        public float[] finish() {
            if (pendingCount == 0) return new float[0];
            Arrays.fill(pending, pendingCount, FRAME, 0f);
            float[] window = new float[CONTEXT + FRAME];
            addWindow(window, 0);
            pendingCount = 0;
            return run(window, 1);
        }

        private void addWindow(float[] windows, int index) {
            int base = index * (CONTEXT + FRAME);
            System.arraycopy(context, 0, windows, base, CONTEXT);
            System.arraycopy(pending, 0, windows, base + CONTEXT, FRAME);
            System.arraycopy(pending, FRAME - CONTEXT, context, 0, CONTEXT);
        }

        private float[] run(float[] windows, int frames) {
            float[] probs = new float[frames];
            int step = sequence ? MAX_FRAMES_PER_CALL : 1;
            for (int first = 0; first < frames; first += step) {
                int n = Math.min(step, frames - first);
                float[] block = Arrays.copyOfRange(windows, first * (CONTEXT + FRAME), (first + n) * (CONTEXT + FRAME));
                float[] out = sequence ? runSequence(block, n) : runSingle(block);
                System.arraycopy(out, 0, probs, first, n);
            }
            return probs;
        }

        private float[] runSingle(float[] window) {
            Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            try (OnnxTensor input = Tensors.floats(window, 1, CONTEXT + FRAME);
                 OnnxTensor state = Tensors.floats(stateA, 2, 1, STATE);
                 OnnxTensor sr = Tensors.longs(new long[] {SAMPLE_RATE})) {
                feed.put("input", input);
                feed.put("state", state);
                feed.put("sr", sr);
                try (OrtSession.Result result = model.run(feed)) {
                    stateA = Tensors.toFloats(result.get("stateN").orElseThrow());
                    return Tensors.toFloats(result.get("output").orElseThrow());
                }
            }
        }

        private float[] runSequence(float[] block, int frames) {
            Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            try (OnnxTensor input = Tensors.floats(block, frames, CONTEXT + FRAME);
                 OnnxTensor h = Tensors.floats(stateA, 1, 1, STATE);
                 OnnxTensor c = Tensors.floats(stateB, 1, 1, STATE)) {
                feed.put("input", input);
                feed.put("h", h);
                feed.put("c", c);
                try (OrtSession.Result result = model.run(feed)) {
                    stateA = Tensors.toFloats(result.get("hn").orElseThrow());
                    stateB = Tensors.toFloats(result.get("cn").orElseThrow());
                    return Tensors.toFloats(result.get("speech_probs").orElseThrow());
                }
            }
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
