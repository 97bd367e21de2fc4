package dev.sotto.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.diarize.Diarization;
import dev.sotto.diarize.Diarizer;
import dev.sotto.diarize.SpeakerTurn;
import dev.sotto.eval.DiarizationErrorRate;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sotto diarize}: who spoke when, as RTTM or JSON, and with a reference, the
 * diarization error rate.
 */
@Command(name = "diarize", mixinStandardHelpOptions = true,
        description = "Who spoke when: speaker turns of an audio file (RTTM or JSON), and its DER against a reference.")
final class DiarizeCommand implements Callable<Integer>, LoadsModels {
    @Mixin
    DiarizeOptions diarize;

    @Option(names = "--vad-model", paramLabel = "FILE|NAME",
            description = "The Silero VAD model (default: SOTTO_VAD_MODEL).")
    String vadModel;

    @Option(names = "--format", paramLabel = "F", defaultValue = "rttm", description = "rttm or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--reference", paramLabel = "RTTM", description = "Score against this reference (RTTM); the DER goes to stderr "
            + "(and into the json output).")
    Path reference;

    @Option(names = "--reference-channels", description = "Score against the input's own channels: one speaker per channel, "
            + "active where that channel has energy (WAV input). The input is mixed to mono for diarization.")
    boolean referenceChannels;

    @Option(names = "--collar", paramLabel = "S", defaultValue = "0.25",
            description = "DER collar in seconds around reference boundaries (default: ${DEFAULT-VALUE}).")
    double collar;

    @Parameters(arity = "1", paramLabel = "FILE", description = "Audio or video file.")
    String file;

    @Override
    public Integer call() {
        if (!format.equals("rttm") && !format.equals("json")) throw new SottoException("--format must be rttm or json, not " + format);
        if (reference != null && referenceChannels) throw new SottoException("give --reference or --reference-channels, not both");
        float[] samples = readAll(file);
        Diarization d;
        try (Diarizer diarizer = Diarizer.open(diarize.config(vadModel, null))) {
            System.err.println("sotto: diarizing with the " + diarizer.embeddingName() + " embedding");
            d = diarizer.diarize(samples);
        }
        List<DiarizationErrorRate.Turn> ref = reference != null ? DiarizationErrorRate.readRttm(reference)
                : referenceChannels ? DiarizationErrorRate.fromChannels(channels(file), 16000) : null;
        DiarizationErrorRate.Score score = ref == null ? null : DiarizationErrorRate.score(ref, d.turns(), collar);
        if (score != null) System.err.println("sotto: " + file + ": " + score + ", collar " + collar + " s");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String name = Path.of(file).getFileName().toString().replaceFirst("\\.[^.]+$", "");
        if (format.equals("rttm")) {
            out.print(DiarizationErrorRate.rttm(name, d.turns()));
        } else {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("file", file).put("speakers", d.speakers()).put("embedding", d.embedding());
            ArrayNode turns = o.putArray("turns");
            for (SpeakerTurn t : d.turns()) {
                turns.addObject().put("speaker", SpeakerTurn.label(t.speaker())).put("start", round(t.start()))
                        .put("end", round(t.end()));
            }
            if (score != null) {
                o.putObject("der").put("der", round(score.der())).put("missed", round(score.missed()))
                        .put("false_alarm", round(score.falseAlarm())).put("confusion", round(score.confusion()))
                        .put("reference", round(score.reference())).put("collar", collar);
            }
            out.println(o);
        }
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static float[] readAll(String file) {
        try (AudioDecoder audio = AudioDecoder.open(file)) {
            float[] all = new float[16000 * 30];
            int n = 0;
            for (int r; (r = audio.read(all, n, all.length - n)) > 0; ) {
                n += r;
                if (n == all.length) all = java.util.Arrays.copyOf(all, all.length * 2);
            }
            return java.util.Arrays.copyOf(all, n);
        }
    }

    /** The channels of a 16 kHz 16-bit WAV file. */
    static float[][] channels(String file) {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(Path.of(file).toFile())) {
            AudioFormat f = in.getFormat();
            if (f.getSampleSizeInBits() != 16 || Math.round(f.getSampleRate()) != 16000 || f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
                throw new SottoException(file + ": --reference-channels needs 16 kHz 16-bit PCM WAV, this is " + f);
            }
            byte[] bytes = in.readAllBytes();
            int ch = f.getChannels();
            int frames = bytes.length / (2 * ch);
            float[][] out = new float[ch][frames];
            boolean big = f.isBigEndian();
            for (int i = 0; i < frames; i++) {
                for (int c = 0; c < ch; c++) {
                    int at = 2 * (i * ch + c);
                    int v = big ? (bytes[at] << 8) | (bytes[at + 1] & 0xff) : (bytes[at + 1] << 8) | (bytes[at] & 0xff);
                    out[c][i] = (short) v / 32768f;
                }
            }
            return out;
        } catch (UnsupportedAudioFileException | IOException e) {
            throw new SottoException(file + ": --reference-channels reads WAV files only: " + e.getMessage(), e);
        }
    }
}
