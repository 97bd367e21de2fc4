package dev.sotto.diarize;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sotto.SottoException;
import dev.sotto.features.FrontEnd;
import dev.sotto.features.KaldiFbank;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.runtime.TensorSpec;
import dev.sotto.runtime.Tensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Non-speech audio events (laughter, applause, music...) from an AudioSet tagger in one of
 * sherpa-onnx's two audio-tagging layouts, told apart by the graph's inputs:
 * <ul>
 *   <li>Zipformer ({@code sherpa-onnx-zipformer-*-audio-tagging-*}, icefall's export, metadata
 *       {@code model_type=zipformer2_at}): inputs {@code x} [N, T, 80] Kaldi log-fbank (sherpa-onnx's
 *       default front end, samples in [-1, 1]) and {@code x_lens} [N] int64; output {@code logits}
 *       [N, classes], raw (icefall trains it with BCE on logits), so a sigmoid gives each class's probability.</li>
 *   <li>CED ({@code sherpa-onnx-ced-*-audio-tagging-*}): one input [N, 64, T], the 64-bin mel power
 *       of {@link KaldiFbank.Options#ced()} transposed as sherpa-onnx transposes it; its output
 *       [N, classes] is already a probability (CED ends in a sigmoid, sherpa-onnx reads it as is).</li>
 * </ul>
 * Beside the model, {@code class_labels_indices.csv} ({@code index,mid,display_name}, one row per
 * output class, indices from 0 in order) names the classes.
 *
 * <p>The audio is cut into 1 s cells; cell k is scored on the window [k - 1, k + 2) s (3 s, clipped
 * at the ends), so every second is judged with a second of context either side while events keep
 * a 1 s resolution. Classes whose probability reaches the threshold in consecutive cells merge
 * into one event. Speech and its AudioSet sub-classes ({@link #SPEECH_MIDS}) are not events: the
 * transcript already covers them.
 */
public final class AudioTagger implements AutoCloseable {
    public static final double DEFAULT_THRESHOLD = 0.5;
    public static final String LABELS = "class_labels_indices.csv";
    static final int RATE = 16000;
    static final int CELL = RATE;            // 1 s hop
    static final int CONTEXT = RATE;         // 1 s either side: 3 s windows

    /** AudioSet's "Speech" (/m/09x0r) and its children in the AudioSet ontology. */
    public static final Set<String> SPEECH_MIDS = Set.of("/m/09x0r", "/m/05zppz", "/m/02zsn", "/m/0ytgt", "/m/01h8n0",
            "/m/02qldy", "/m/0261r1", "/m/0brhx");

    enum Layout { ZIPFORMER, CED }

    /** One row of class_labels_indices.csv. */
    public record Label(int index, String mid, String displayName) {
        /** The event's text as ElevenLabs writes it: {@code (music)}; "Narration, monologue" gives {@code (narration)}. */
        public String eventText() {
            int comma = displayName.indexOf(',');
            String name = comma < 0 ? displayName : displayName.substring(0, comma);
            return "(" + name.trim().toLowerCase(Locale.ROOT) + ")";
        }
    }

    private final OnnxModel model;
    private final Layout layout;
    private final List<Label> labels;
    private final double threshold;

    private AudioTagger(OnnxModel model, List<Label> labels, double threshold) {
        this.model = model;
        this.labels = labels;
        this.threshold = threshold;
        List<TensorSpec> in = model.inputs();
        if (in.size() == 2 && model.hasInput("x") && model.hasInput("x_lens")) {
            this.layout = Layout.ZIPFORMER;
            TensorSpec x = model.input("x");
            if (x.rank() != 3 || (!x.isDynamic(2) && x.dim(2) != 80)) {
                throw new SottoException(model.file() + ": a Zipformer audio tagger takes x [N, T, 80]; found " + x);
            }
        } else if (in.size() == 1 && in.get(0).type() == OnnxJavaType.FLOAT && in.get(0).rank() == 3
                && in.get(0).dim(1) == 64) {
            this.layout = Layout.CED;
        } else {
            throw new SottoException(model.file() + ": not an audio-tagging model in a layout Sotto reads: expected inputs "
                    + "(x [N, T, 80], x_lens [N]) as in sherpa-onnx's Zipformer audio tagging, or one input [N, 64, T] as in "
                    + "its CED exports; found " + in);
        }
        if (model.outputs().isEmpty() || model.outputs().get(0).rank() != 2) {
            throw new SottoException(model.file() + ": an audio tagger's first output is [N, classes]; found " + model.outputs());
        }
        long classes = model.outputs().get(0).dim(1);
        if (classes >= 0 && classes != labels.size()) {
            throw new SottoException(model.file() + ": the model scores " + classes + " classes but " + LABELS + " names "
                    + labels.size() + ": use the csv that came with the model");
        }
    }

    /** Opens a directory holding the model (model.onnx, or model.int8.onnx alone) and its class_labels_indices.csv. */
    public static AudioTagger open(Path dir, double threshold, Runtime runtime) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new SottoException("the audio-event threshold is a probability between 0 and 1 (exclusive), got " + threshold);
        }
        if (!Files.isDirectory(dir)) {
            throw new SottoException(dir + ": no such audio-tagging model directory (give the directory holding model.onnx and "
                    + LABELS + ", e.g. sherpa-onnx-zipformer-small-audio-tagging-2024-04-15)");
        }
        List<Label> labels = readLabels(dir.resolve(LABELS));
        Path file = modelFile(dir);
        OnnxModel model = runtime.open(file);
        try {
            return new AudioTagger(model, labels, threshold);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public static AudioTagger open(Path dir, double threshold) {
        return open(dir, threshold, Runtime.create(dev.sotto.runtime.Device.CPU, 1));
    }

    private static Path modelFile(Path dir) {
        Path plain = dir.resolve("model.onnx");
        if (Files.isRegularFile(plain)) return plain;
        Path int8 = dir.resolve("model.int8.onnx");
        if (Files.isRegularFile(int8)) return int8;
        throw new SottoException(dir + ": no model.onnx (or model.int8.onnx) in this audio-tagging model directory");
    }

    /** Parses class_labels_indices.csv as sherpa-onnx does: a header, then {@code index,mid,"display name"}. */
    static List<Label> readLabels(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new SottoException(csv + ": missing: an audio-tagging model directory needs its " + LABELS
                    + " (index,mid,display_name) beside model.onnx");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SottoException(csv + ": cannot read: " + e.getMessage(), e);
        }
        List<Label> out = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) continue;
            int a = line.indexOf(',');
            int b = a < 0 ? -1 : line.indexOf(',', a + 1);
            String name = b < 0 ? "" : line.substring(b + 1).strip();
            if (b < 0 || name.length() < 2 || name.charAt(0) != '"' || name.charAt(name.length() - 1) != '"') {
                throw new SottoException(csv + ": line " + (n + 1) + " is not index,mid,\"display name\": " + line);
            }
            int index;
            try {
                index = Integer.parseInt(line.substring(0, a).strip());
            } catch (NumberFormatException e) {
                throw new SottoException(csv + ": line " + (n + 1) + ": the index is not a number: " + line);
            }
            if (index != out.size()) {
                throw new SottoException(csv + ": line " + (n + 1) + ": index " + index + ", expected " + out.size()
                        + " (indices run from 0 in order)");
            }
            out.add(new Label(index, line.substring(a + 1, b).strip(), name.substring(1, name.length() - 1)));
        }
        if (out.isEmpty()) throw new SottoException(csv + ": no classes (expected a header, then index,mid,display_name rows)");
        return out;
    }

    public String name() {
        return (layout == Layout.ZIPFORMER ? "Zipformer" : "CED") + " audio tagger " + model.file().getFileName()
                + " (" + labels.size() + " classes)";
    }

    public List<Label> labels() {
        return labels;
    }

    /** Each class's probability for one stretch of 16 kHz mono audio. */
    public float[] probabilities(float[] samples, int from, int to) {
        boolean zipformer = layout == Layout.ZIPFORMER;
        FrontEnd fe = new KaldiFbank(zipformer ? KaldiFbank.Options.sherpaOnnx(80) : KaldiFbank.Options.ced());
        int bins = zipformer ? 80 : 64;
        fe.accept(samples, from, to - from);
        fe.finish();
        int frames = fe.framesReady();
        if (frames == 0) return new float[labels.size()];
        float[] flat = new float[frames * bins];
        float[] row = new float[bins];
        for (int t = 0; t < frames; t++) {
            fe.copyFrames(t, 1, row, 0);
            if (zipformer) System.arraycopy(row, 0, flat, t * bins, bins);
            else for (int m = 0; m < bins; m++) flat[m * frames + t] = row[m];
        }
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        String output = model.outputs().get(0).name();
        try (OnnxTensor x = zipformer ? Tensors.floats(flat, 1, frames, bins) : Tensors.floats(flat, 1, bins, frames);
             OnnxTensor lens = Tensors.longs(new long[] {frames}, 1)) {
            feed.put(model.inputs().get(0).name(), x);
            if (zipformer) {
                feed.clear();
                feed.put("x", x);
                feed.put("x_lens", lens);
            }
            try (OrtSession.Result result = model.run(feed)) {
                float[] p = Tensors.toFloats(result.get(output).orElseThrow(() ->
                        new SottoException(model.file() + ": the model gave no output '" + output + "'")));
                if (p.length != labels.size()) {
                    throw new SottoException(model.file() + ": " + p.length + " scores for " + labels.size() + " classes");
                }
                if (zipformer) for (int i = 0; i < p.length; i++) p[i] = (float) (1 / (1 + Math.exp(-p[i])));
                return p;
            }
        }
    }

    /** The events of whole audio (16 kHz mono). */
    public List<AudioEvent> events(float[] samples) {
        Session s = session();
        s.accept(samples, 0, samples.length);
        return s.finish();
    }

    public Session session() {
        return new Session();
    }

    /** One audio stream: samples in as they come (only the last 3 s are kept), the events at the end. */
    public final class Session {
        private float[] buffer = new float[CONTEXT + CELL + CONTEXT];
        private long bufferStart;             // the absolute index of buffer[0]
        private int count;
        private int nextCell;
        private final Map<Integer, AudioEvent> open = new LinkedHashMap<>();   // class -> event still growing
        private final List<AudioEvent> done = new ArrayList<>();

        private Session() {
        }

        public void accept(float[] samples, int offset, int length) {
            while (length > 0) {
                int n = Math.min(length, buffer.length - count);
                System.arraycopy(samples, offset, buffer, count, n);
                count += n;
                offset += n;
                length -= n;
                // Cell k needs audio up to (k + 2) s.
                while ((long) nextCell * CELL + CELL + CONTEXT <= bufferStart + count) tagCell(bufferStart + count);
                // Keep from (nextCell - 1) s on.
                long keep = Math.max(0, (long) nextCell * CELL - CONTEXT);
                int drop = (int) (keep - bufferStart);
                if (drop > 0) {
                    System.arraycopy(buffer, drop, buffer, 0, count - drop);
                    count -= drop;
                    bufferStart = keep;
                }
            }
        }

        public List<AudioEvent> finish() {
            long total = bufferStart + count;
            while ((long) nextCell * CELL < total) tagCell(total);
            for (AudioEvent e : open.values()) done.add(e);
            open.clear();
            done.sort(Comparator.comparingDouble(AudioEvent::start).thenComparing(AudioEvent::text));
            return List.copyOf(done);
        }

        /** Scores cell {@code nextCell} on its window, clipped to the audio seen so far ({@code end} samples). */
        private void tagCell(long end) {
            long cellStart = (long) nextCell * CELL;
            long from = Math.max(0, cellStart - CONTEXT);
            long to = Math.min(end, cellStart + CELL + CONTEXT);
            float[] p = probabilities(buffer, (int) (from - bufferStart), (int) (to - bufferStart));
            double start = cellStart / (double) RATE;
            double stop = Math.min(end, cellStart + CELL) / (double) RATE;
            for (Label label : labels) {
                int c = label.index();
                boolean on = p[c] >= threshold && !SPEECH_MIDS.contains(label.mid());
                AudioEvent current = open.get(c);
                if (on) {
                    open.put(c, current == null ? new AudioEvent(label.eventText(), start, stop)
                            : new AudioEvent(current.text(), current.start(), stop));
                } else if (current != null) {
                    done.add(current);
                    open.remove(c);
                }
            }
            nextCell++;
        }
    }

    /** Events of several sources in one time-ordered list. */
    public static List<AudioEvent> merge(List<AudioEvent> a, List<AudioEvent> b) {
        List<AudioEvent> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort(Comparator.comparingDouble(AudioEvent::start).thenComparing(AudioEvent::text));
        return List.copyOf(all);
    }

    @Override
    public void close() {
        model.close();
    }
}
