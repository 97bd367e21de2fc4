package dev.sotto.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.diarize.Diarizer;
import dev.sotto.diarize.AudioTagger;
import dev.sotto.diarize.SilenceTagger;
import dev.sotto.transcribe.BatchDecoding;
import dev.sotto.transcribe.Decoding;
import dev.sotto.transcribe.Formats;
import dev.sotto.engine.WordTiming;
import dev.sotto.transcribe.Formats.Format;
import dev.sotto.transcribe.Formats.Transcript;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sotto transcribe}: each file (or stdin) through one stream of one recognizer.
 * With {@code text}, stdout holds one line per file and nothing else; a file that fails
 * is reported on stderr and the others still run (exit status 1 at the end).
 */
@Command(name = "transcribe", mixinStandardHelpOptions = true,
        description = "Transcribe audio or video files (any format FFmpeg reads; - for stdin).")
final class TranscribeCommand implements Callable<Integer>, LoadsModels {
    @Mixin
    ModelOptions options;

    @Option(names = "--format", paramLabel = "F", defaultValue = "text",
            description = "text, json, verbose_json, srt or vtt (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--stream",
            description = "Print results as they are decoded: each segment when it ends (text), or partial/segment "
                    + "events as JSON lines (json); on a terminal the partial line is redrawn in place.")
    boolean stream;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR",
            description = "Write each transcript to DIR/NAME.EXT instead of stdout.")
    Path outputDir;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Progress bar on stderr when it is a terminal (default: on).")
    boolean progress;

    @Option(names = "--diarize", description = "Label speakers: every word and segment gains a speaker (json, verbose_json), "
            + "text/srt/vtt show speaker_N labels. Needs a Silero VAD (--vad-model); see --num-speakers, --speaker-model.")
    boolean diarizeSpeakers;

    @Mixin
    DiarizeOptions diarize;

    @Option(names = "--tag-audio-events", description = "Add audio_events to json and verbose_json: each stretch without "
            + "speech (Silero VAD) of at least --min-silence seconds, as (silence) (needs --vad-model); Whisper's own "
            + "[Music], (laughs), ♪ (its non-speech tokens are then kept); and a --tagging-model's events.")
    boolean tagAudioEvents;

    @Option(names = "--min-silence", paramLabel = "S", defaultValue = "2.0",
            description = "--tag-audio-events: the shortest silence reported (default: ${DEFAULT-VALUE}).")
    double minSilence;

    @Option(names = "--tagging-model", paramLabel = "DIR",
            description = "Audio events from a sherpa-onnx audio tagger (Zipformer or CED audio tagging: model.onnx and "
                    + "class_labels_indices.csv): non-speech AudioSet classes such as (music), (laughter), (applause), "
                    + "scored every second on 3 s windows. Implies --tag-audio-events; (silence) events are added when "
                    + "a Silero VAD is found.")
    Path taggingModel;

    @Option(names = "--event-threshold", paramLabel = "P", defaultValue = "0.5",
            description = "--tagging-model: the probability at which a class counts as present (default: ${DEFAULT-VALUE}).")
    double eventThreshold;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Audio or video files; - reads stdin.")
    List<String> files;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private Diarizer diarizer;
    private SilenceTagger silences;
    private AudioTagger tagger;
    private final java.util.Set<Path> written = new java.util.HashSet<>();

    @Override
    public Integer call() {
        Format fmt = parseFormat(format);
        if (outputDir == null && files.size() > 1 && (fmt == Format.SRT || fmt == Format.VTT)) {
            throw new SottoException("--format " + format + " writes one subtitle file per input: with several inputs, "
                    + "add --output-dir DIR");
        }
        if (stream && (fmt == Format.SRT || fmt == Format.VTT || fmt == Format.VERBOSE_JSON)) {
            throw new SottoException("--stream prints text or json; drop --stream to get " + format);
        }
        if (taggingModel != null) tagAudioEvents = true;
        if ((diarizeSpeakers || tagAudioEvents) && stream) {
            throw new SottoException("--diarize and --tag-audio-events label a file once it is done: drop --stream");
        }
        if ((diarizeSpeakers || tagAudioEvents) && options.batchSize > 1 && files.size() > 1) {
            throw new SottoException("--diarize and --tag-audio-events transcribe one file at a time: drop --batch-size");
        }
        if (outputDir != null) createDirectory(outputDir);
        int failures = 0;
        var config = options.config();
        if (tagAudioEvents) {
            // Whisper then writes [Music], (laughs), ♪ where it hears them; other families ignore this.
            config = dev.sotto.recognizer.RecognizerConfig.builder(config.model()).execution(config.execution())
                    .decoding(config.decoding().toBuilder().keepNonSpeech(true).build()).endpoint(config.endpoint()).build();
        }
        try (Recognizer recognizer = Recognizer.create(config);
             Diarizer diarizer = diarizeSpeakers ? Diarizer.open(diarize.config(options.vadModel, config.model().path())) : null;
             SilenceTagger silences = tagAudioEvents ? openSilences(config.model().path()) : null;
             AudioTagger tagger = taggingModel == null ? null : AudioTagger.open(taggingModel, eventThreshold)) {
            this.silences = silences;
            this.tagger = tagger;
            if (tagger != null) System.err.println("sotto: audio events from the " + tagger.name());
            if (diarizer != null) System.err.println("sotto: diarizing with the " + diarizer.embeddingName() + " embedding");
            this.diarizer = diarizer;
            var info = recognizer.info();
            System.err.printf(Locale.ROOT, "sotto: model %s (%s%s) on %s, %s (%s)%n", info.name(), info.family(),
                    info.chunkMs() > 0 ? ", " + info.chunkMs() + " ms chunks" : "", recognizer.device(), info.provider(),
                    info.providerReason());
            int batch = options.batchSize;
            if (batch > 1 && files.size() > 1) {
                if (stream) throw new SottoException("--stream prints one file at a time; drop --batch-size or --stream");
                for (int from = 0; from < files.size(); from += batch) {
                    failures += transcribeTogether(recognizer, files.subList(from, Math.min(files.size(), from + batch)), fmt);
                }
                return failures == 0 ? 0 : 1;
            }
            for (String file : files) {
                try {
                    Transcript t = transcribe(recognizer, file, fmt);
                    write(fmt, t);
                } catch (SottoException e) {
                    System.err.println("sotto: " + e.getMessage());
                    failures++;
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /** Files decoded together (their pieces share encoder calls), written in order; returns the failures. */
    private int transcribeTogether(Recognizer recognizer, List<String> group, Format fmt) {
        long ortStart = recognizer.runtimeNanos();
        int failures = 0;
        List<String> names = new ArrayList<>();
        List<AudioDecoder> inputs = new ArrayList<>();
        try {
            for (String file : group) {
                try {
                    inputs.add(AudioDecoder.open(file));
                    names.add(file);
                } catch (SottoException e) {
                    System.err.println("sotto: " + e.getMessage());
                    failures++;
                }
            }
            List<BatchDecoding.Finished> done = BatchDecoding.run(recognizer, inputs);
            double audio = 0;
            double wall = 0;
            for (int i = 0; i < done.size(); i++) {
                BatchDecoding.Finished f = done.get(i);
                if (f.error() != null) {
                    System.err.println("sotto: " + displayName(names.get(i)) + ": " + f.error().getMessage());
                    failures++;
                    continue;
                }
                audio += f.outcome().audioSeconds();
                wall = f.outcome().wallSeconds();
                write(fmt, new Transcript(displayName(names.get(i)), f.outcome().result(), f.outcome().audioSeconds(),
                        recognizer.info(), recognizer.device(), recognizer.config().decoding().task()));
            }
            double ort = (recognizer.runtimeNanos() - ortStart) / 1e9;
            System.err.printf(Locale.ROOT, "sotto: %d files together: %.1f s of audio in %.2f s (%.1fx real time, %.0f%% of "
                    + "it in ONNX Runtime)%n", done.size(), audio, wall, audio / wall, 100 * ort / wall);
        } finally {
            inputs.forEach(AudioDecoder::close);
        }
        return failures;
    }

    private Transcript transcribe(Recognizer recognizer, String file, Format fmt) {
        long ortStart = recognizer.runtimeNanos();
        try (AudioDecoder audio = AudioDecoder.open(file);
             Progress bar = new Progress(displayName(file), audio.durationSeconds(),
                     progress && !stream && Terminal.stderr())) {
            StreamPrinter printer = stream ? new StreamPrinter(fmt) : null;
            Diarizer.Session speakers = diarizer == null ? null : diarizer.session();
            SilenceTagger.Session events = silences == null ? null : silences.session();
            AudioTagger.Session tags = tagger == null ? null : tagger.session();
            Decoding.Outcome outcome = Decoding.run(recognizer, audio, s -> {
                bar.update(s.secondsDecoded());
                if (printer != null) printer.update(recognizer.getResult(s));
            }, speakers == null && events == null && tags == null ? null : (samples, n) -> {
                if (speakers != null) speakers.accept(samples, 0, n);
                if (events != null) events.accept(samples, 0, n);
                if (tags != null) tags.accept(samples, 0, n);
            });
            if (printer != null) printer.finish(outcome.result());
            bar.close();
            double ort = (recognizer.runtimeNanos() - ortStart) / 1e9;
            System.err.printf(Locale.ROOT, "sotto: %s: %.1f s of audio in %.2f s (%.1fx real time, %.0f%% of it in ONNX Runtime)%n",
                    displayName(file), outcome.audioSeconds(), outcome.wallSeconds(),
                    outcome.audioSeconds() / outcome.wallSeconds(), 100 * ort / outcome.wallSeconds());
            return new Transcript(displayName(file), outcome.result(), outcome.audioSeconds(), recognizer.info(),
                    recognizer.device(), recognizer.config().decoding().task(), speakers == null ? null : speakers.finish(),
                    tagAudioEvents ? AudioTagger.merge(AudioTagger.merge(events == null ? List.of() : events.finish(),
                            tags == null ? List.of() : tags.finish()), whisperEvents(recognizer, outcome)) : null);
        }
    }

    /** Whisper's bracketed non-speech texts as events (its non-speech tokens are kept when events are asked for). */
    private static List<dev.sotto.diarize.AudioEvent> whisperEvents(Recognizer recognizer, Decoding.Outcome outcome) {
        if (!recognizer.info().family().startsWith("whisper")) return List.of();
        return dev.sotto.transcribe.NonSpeechEvents.of(dev.sotto.engine.Words.all(outcome.result(), outcome.audioSeconds()));
    }

    /** The (silence) tagger; with --tagging-model it is optional, so no VAD leaves silences out rather than failing. */
    private SilenceTagger openSilences(Path modelDir) {
        if (!(minSilence > 0)) throw new SottoException("--min-silence must be positive, got " + minSilence);
        if (taggingModel != null && options.vadModel == null && dev.sotto.vad.SileroVad.find(modelDir == null ? Path.of(".") : modelDir) == null) {
            System.err.println("sotto: no Silero VAD found (--vad-model): (silence) events are left out");
            return null;
        }
        return SilenceTagger.open(diarize.config(options.vadModel, modelDir).vadModel(), minSilence);
    }

    private boolean estimateNoted;

    private void write(Format fmt, Transcript t) {
        if (fmt != Format.TEXT && !estimateNoted && t.result().timing().method() == WordTiming.Method.CHARACTERS) {
            estimateNoted = true;
            System.err.println("sotto: word times are estimates (word_timing \"characters\"): this Whisper export outputs "
                    + "no cross-attention weights (or names no alignment_heads in generation_config.json), so each "
                    + "segment's time is spread over its words by their characters");
        }
        if (stream && outputDir == null) {
            if (fmt == Format.JSON) {
                ObjectNode o = Formats.json(t);
                o.put("type", "result");
                out.println(o);
            }
            return;
        }
        String text = Formats.render(fmt, t);
        if (outputDir == null) {
            out.print(text);
            out.flush();
            return;
        }
        String base = t.file().equals("standard input") ? "stdin" : Path.of(t.file()).getFileName().toString();
        int dot = base.lastIndexOf('.');
        Path target = outputDir.resolve((dot > 0 ? base.substring(0, dot) : base) + "." + Formats.extension(fmt));
        // Two inputs with one name (talk.wav, talk.mp3) must not overwrite each other's transcript.
        for (int n = 2; written.contains(target); n++) {
            target = outputDir.resolve(base + (n == 2 ? "" : "-" + n) + "." + Formats.extension(fmt));
        }
        written.add(target);
        try {
            Files.writeString(target, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SottoException(target + ": cannot write the transcript: " + e.getMessage(), e);
        }
        System.err.println("sotto: wrote " + target);
    }

    /** Prints segments as they become final; on a terminal, redraws the partial line in place. */
    private final class StreamPrinter {
        private final Format fmt;
        private final boolean tty = Terminal.stdout() && outputDir == null;
        private int printed;
        private String lastPartial = "";

        StreamPrinter(Format fmt) {
            this.fmt = fmt;
        }

        void update(Result r) {
            List<Segment> segments = r.segments();
            while (printed < segments.size() && segments.get(printed).isFinal()) {
                emitSegment(segments.get(printed++));
            }
            String partial = printed < segments.size() ? segments.get(printed).text() : "";
            if (partial.equals(lastPartial)) return;
            lastPartial = partial;
            if (fmt == Format.JSON) {
                ObjectNode o = Formats.JSON.createObjectNode().put("type", "partial").put("text", partial);
                out.println(o);
            } else if (tty) {
                out.print("\r\033[K" + partial);
                out.flush();
            }
        }

        void finish(Result r) {
            update(r);
            while (printed < r.segments().size()) emitSegment(r.segments().get(printed++));
        }

        private void emitSegment(Segment s) {
            lastPartial = "";
            if (fmt == Format.JSON) {
                out.println(Formats.JSON.createObjectNode().put("type", "segment").put("id", s.id())
                        .put("start", Formats.round(s.start())).put("end", Formats.round(s.end())).put("text", s.text()));
            } else {
                out.print((tty ? "\r\033[K" : "") + s.text() + "\n");
                out.flush();
            }
        }
    }

    static Format parseFormat(String name) {
        try {
            return Format.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SottoException("unknown format '" + name + "': use text, json, verbose_json, srt or vtt");
        }
    }

    static String displayName(String file) {
        return file.equals("-") ? "standard input" : file;
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SottoException(dir + ": cannot create the output directory: " + e.getMessage(), e);
        }
    }
}
