package dev.sotto.cli;

import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.eval.EvalReport;
import dev.sotto.eval.Manifest;
import dev.sotto.eval.ReportFormat;
import dev.sotto.eval.WordTimes;
import dev.sotto.engine.Word;
import dev.sotto.engine.Words;
import dev.sotto.transcribe.Decoding;
import dev.sotto.recognizer.Recognizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sotto eval}: transcribes every row of a manifest and scores it (WER, or CER for
 * ja/zh/ko) with the documented normaliser. A row whose audio fails to decode is scored
 * as an empty hypothesis, said on stderr, and makes the exit status 1.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Word error rate of a model on a manifest (TSV: path, lang, reference; paths relative to it).",
                "With --word-times REF.json --audio FILE: word timing errors against a reference instead.",
                "With --emission-delay: the model's emission delay measured at speech onsets over the manifest."})
final class EvalCommand implements Callable<Integer>, LoadsModels {
    @Mixin
    ModelOptions options;

    @Option(names = "--manifest", paramLabel = "TSV", description = "The manifest.")
    Path manifest;

    @Option(names = "--word-times", paramLabel = "JSON", description = "Score word times against this reference "
            + "(a Picovoice leopard test-data file: the language_tests entry of --lang, default en) for --audio.")
    Path wordTimes;

    @Option(names = "--audio", paramLabel = "FILE", description = "The audio the --word-times reference is of.")
    Path audio;

    @Option(names = "--emission-delay", description = "Measure the model's emission delay (median time from an "
            + "onset of sound after a pause to the first word token emitted) over the manifest's rows.")
    boolean emissionDelay;

    @Option(names = "--exclude", paramLabel = "TEXT", description = "Skip manifest rows whose path contains TEXT "
            + "(e.g. the file a measurement is validated on).")
    String exclude;

    @Option(names = "--lang", paramLabel = "L", description = "Only rows of this language (en also takes en-US).")
    String lang;

    @Option(names = "--format", paramLabel = "F", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Progress bar on stderr when it is a terminal (default: on).")
    boolean progress;

    @Override
    public Integer call() {
        if (wordTimes != null) return scoreWordTimes();
        if (manifest == null) throw new SottoException("give --manifest TSV (or --word-times REF.json --audio FILE)");
        Manifest rows = lang == null ? Manifest.read(manifest) : Manifest.read(manifest, lang);
        if (exclude != null) {
            rows = new Manifest(rows.file(), rows.entries().stream().filter(e -> !e.path().contains(exclude)).toList());
        }
        if (emissionDelay) return measureDelay(rows);
        ReportFormat reportFormat = ReportFormat.parse(format);
        List<EvalReport.Utterance> scored = new ArrayList<>();
        int failures = 0;
        try (Recognizer recognizer = Recognizer.create(options.config())) {
            var info = recognizer.info();
            System.err.printf(Locale.ROOT, "sotto: model %s (%s) on %s, %s (%s); %d utterances%n", info.name(),
                    info.family(), recognizer.device(), info.provider(), info.providerReason(), rows.entries().size());
            try (Progress bar = new Progress("eval", rows.entries().size(), "", progress && Terminal.stderr())) {
                for (Manifest.Entry row : rows.entries()) {
                    String hypothesis = "";
                    double duration = Double.NaN;
                    double seconds = Double.NaN;
                    try (AudioDecoder audio = AudioDecoder.open(row.audio())) {
                        Decoding.Outcome outcome = Decoding.run(recognizer, audio, s -> { });
                        hypothesis = outcome.result().text();
                        duration = outcome.audioSeconds();
                        seconds = outcome.wallSeconds();
                    } catch (SottoException e) {
                        System.err.println("sotto: " + row.path() + " (line " + row.line() + "): " + e.getMessage());
                        failures++;
                    }
                    scored.add(EvalReport.Utterance.score(row, hypothesis, duration, seconds));
                    bar.update(scored.size());
                }
            }
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(reportFormat.render(EvalReport.of(scored)));
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    /** Word start and end errors of the model's words on --audio against the --word-times reference. */
    private int scoreWordTimes() {
        if (audio == null) throw new SottoException("--word-times needs --audio FILE: the recording the reference times are of");
        List<WordTimes.Reference> reference = WordTimes.readLeopard(wordTimes, lang == null ? "en" : lang);
        try (Recognizer recognizer = Recognizer.create(options.config());
             AudioDecoder decoder = AudioDecoder.open(audio)) {
            Decoding.Outcome outcome = Decoding.run(recognizer, decoder, s -> { });
            List<Word> words = Words.all(outcome.result(), outcome.audioSeconds());
            WordTimes.Score score = WordTimes.score(reference, words);
            System.out.println(audio + ": " + score.describe() + " (word timing: "
                    + outcome.result().timing().method().label() + ")");
        }
        return 0;
    }

    /** The median onset delay over the rows, with how many onsets and files it rests on. */
    private int measureDelay(Manifest rows) {
        List<Double> delays = new ArrayList<>();
        int files = 0;
        try (Recognizer recognizer = Recognizer.create(options.config())) {
            for (Manifest.Entry row : rows.entries()) {
                try (AudioDecoder decoder = AudioDecoder.open(row.audio())) {
                    List<Double> found = WordTimes.onsetDelays(Decoding.run(recognizer, decoder, s -> { }).result());
                    delays.addAll(found);
                    if (!found.isEmpty()) files++;
                }
            }
        }
        if (delays.isEmpty()) throw new SottoException("no onset after a pause was found in " + rows.entries().size() + " files");
        System.out.printf(Locale.ROOT, "emission delay: median %.3f s (p10 %.3f s, p90 %.3f s) over %d onsets in %d files%n",
                WordTimes.percentile(delays, 50), WordTimes.percentile(delays, 10), WordTimes.percentile(delays, 90),
                delays.size(), files);
        return 0;
    }
}
