package dev.sotto.cli;

import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.eval.EvalReport;
import dev.sotto.eval.Manifest;
import dev.sotto.eval.ReportFormat;
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
        description = "Word error rate of a model on a manifest (TSV: path, lang, reference; paths relative to it).")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions options;

    @Option(names = "--manifest", required = true, paramLabel = "TSV", description = "The manifest.")
    Path manifest;

    @Option(names = "--lang", paramLabel = "L", description = "Only rows of this language (en also takes en-US).")
    String lang;

    @Option(names = "--format", paramLabel = "F", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Progress bar on stderr when it is a terminal (default: on).")
    boolean progress;

    @Override
    public Integer call() {
        ReportFormat reportFormat = ReportFormat.parse(format);
        Manifest rows = lang == null ? Manifest.read(manifest) : Manifest.read(manifest, lang);
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
}
