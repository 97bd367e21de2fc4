package dev.sotto.whisper;

import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of a Whisper export, found by name in a model directory. Two layouts exist:
 * <ul>
 *   <li>sherpa-onnx: {@code <name>-encoder[.int8].onnx}, {@code <name>-decoder[.int8].onnx},
 *       {@code <name>-tokens.txt};</li>
 *   <li>Hugging Face Optimum / onnx-community (files at the top or in {@code onnx/}):
 *       {@code encoder_model[_quantized].onnx} with {@code decoder_model_merged[_quantized].onnx}
 *       or the {@code decoder_model} + {@code decoder_with_past_model} pair, plus
 *       {@code tokenizer.json} (or {@code vocab.json} + {@code merges.txt}), {@code config.json}.</li>
 * </ul>
 * Full-precision files are preferred when several precisions are present; then, on the CPU,
 * the quantised ones and fp16 last, on a GPU fp16 before the quantised ones. (fp32 stays first
 * on a GPU too: fp16 merged decoders have been reported to go wrong with their KV cache.)
 */
record WhisperFiles(Layout layout, Path directory, Path encoder, Path decoder, Path decoderWithPast,
                    Path tokenizer, Path merges, Path addedTokens, Path config) {

    enum Layout { SHERPA, HUGGING_FACE }

    /** Precision suffixes in order of preference, on the CPU and on a GPU. */
    private static final List<String> HF_SUFFIXES = List.of("", "_quantized", "_int8", "_uint8", "_fp16");
    private static final List<String> HF_SUFFIXES_GPU = List.of("", "_fp16", "_quantized", "_int8", "_uint8");
    private static final List<String> SHERPA_SUFFIXES = List.of(".onnx", ".int8.onnx");

    boolean mergedDecoder() {
        return layout == Layout.HUGGING_FACE && decoderWithPast == null;
    }

    /**
     * Whether {@code dir} holds a Whisper export in either layout, judged by file names only:
     * {@code <name>-encoder.onnx} with its {@code -decoder} and {@code -tokens.txt}, or
     * {@code encoder_model.onnx} with a {@code decoder_model*.onnx}.
     */
    static boolean looksLikeWhisper(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        Optional<Path> sherpa = sherpaEncoder(dir);
        if (sherpa.isPresent()) {
            String file = sherpa.get().getFileName().toString();
            String name = file.substring(0, file.indexOf("-encoder"));
            return Files.isRegularFile(dir.resolve(file.replace("-encoder", "-decoder")))
                    && Files.isRegularFile(dir.resolve(name + "-tokens.txt"));
        }
        Path onnx = onnxDir(dir);
        return hfFile(onnx, "encoder_model", HF_SUFFIXES).isPresent()
                && (hfFile(onnx, "decoder_model_merged", HF_SUFFIXES).isPresent()
                || hfFile(onnx, "decoder_model", HF_SUFFIXES).isPresent());
    }

    static WhisperFiles find(Path dir) {
        return find(dir, false);
    }

    /** The files to load, picking precisions for a GPU or the CPU. */
    static WhisperFiles find(Path dir, boolean gpu) {
        if (!Files.isDirectory(dir)) {
            throw new SottoException(dir + ": not a directory. Point --model at the folder of a Whisper export "
                    + "(sherpa-onnx: *-encoder.onnx, *-decoder.onnx, *-tokens.txt; Hugging Face: encoder_model.onnx, "
                    + "decoder_model_merged.onnx, tokenizer.json, config.json)");
        }
        Optional<Path> sherpa = sherpaEncoder(dir);
        if (sherpa.isPresent()) return sherpa(dir, sherpa.get());
        if (hfFile(onnxDir(dir), "encoder_model", HF_SUFFIXES).isPresent()) {
            return huggingFace(dir, gpu ? HF_SUFFIXES_GPU : HF_SUFFIXES);
        }
        throw new SottoException(dir + ": no Whisper encoder here: expected <name>-encoder[.int8].onnx (sherpa-onnx) or "
                + "encoder_model[_quantized|_int8|_uint8|_fp16].onnx (Hugging Face, at the top or in onnx/; q4 and bnb4 "
                + "files are not supported). Files present: " + list(dir));
    }

    private static WhisperFiles sherpa(Path dir, Path encoder) {
        String file = encoder.getFileName().toString();
        String name = file.substring(0, file.indexOf("-encoder"));
        String suffix = file.substring(file.indexOf("-encoder") + "-encoder".length());
        Path decoder = dir.resolve(name + "-decoder" + suffix);
        if (!Files.isRegularFile(decoder)) {
            throw new SottoException(dir + ": found " + file + " but not " + decoder.getFileName()
                    + ". A sherpa-onnx Whisper export needs both (and " + name + "-tokens.txt)");
        }
        Path tokens = dir.resolve(name + "-tokens.txt");
        if (!Files.isRegularFile(tokens)) {
            throw new SottoException(dir + ": found the encoder and decoder but not " + tokens.getFileName()
                    + ", the token table. Copy it from the same sherpa-onnx release (or convert Whisper's "
                    + "multilingual.tiktoken / gpt2.tiktoken, which has the same format)");
        }
        return new WhisperFiles(Layout.SHERPA, dir, encoder, decoder, null, tokens, null, null, null);
    }

    private static WhisperFiles huggingFace(Path dir, List<String> suffixes) {
        Path onnx = onnxDir(dir);
        Path encoder = hfFile(onnx, "encoder_model", suffixes).orElseThrow();
        String suffix = suffixOf(encoder, "encoder_model");
        Path merged = onnx.resolve("decoder_model_merged" + suffix + ".onnx");
        Path decoder = onnx.resolve("decoder_model" + suffix + ".onnx");
        Path withPast = onnx.resolve("decoder_with_past_model" + suffix + ".onnx");
        Path dec;
        Path past = null;
        if (Files.isRegularFile(merged)) {
            dec = merged;
        } else if (Files.isRegularFile(decoder) && Files.isRegularFile(withPast)) {
            dec = decoder;
            past = withPast;
        } else {
            throw new SottoException(onnx + ": found " + encoder.getFileName() + " but no matching decoder: expected "
                    + merged.getFileName() + ", or " + decoder.getFileName() + " with " + withPast.getFileName()
                    + " (same precision). Files present: " + list(onnx));
        }
        Path config = dir.resolve("config.json");
        Path tokenizer = dir.resolve("tokenizer.json");
        Path vocab = dir.resolve("vocab.json");
        Path mergesTxt = dir.resolve("merges.txt");
        if (!Files.isRegularFile(tokenizer)) {
            if (!Files.isRegularFile(vocab) || !Files.isRegularFile(mergesTxt)) {
                throw new SottoException(dir + ": the ONNX files are here but no tokenizer: expected tokenizer.json, or "
                        + "vocab.json with merges.txt, from the same Hugging Face repository");
            }
            return new WhisperFiles(Layout.HUGGING_FACE, dir, encoder, dec, past, vocab, mergesTxt,
                    dir.resolve("added_tokens.json"), config);
        }
        return new WhisperFiles(Layout.HUGGING_FACE, dir, encoder, dec, past, tokenizer, null, null, config);
    }

    private static Path onnxDir(Path dir) {
        Path sub = dir.resolve("onnx");
        return hfFile(dir, "encoder_model", HF_SUFFIXES).isEmpty() && Files.isDirectory(sub) ? sub : dir;
    }

    private static Optional<Path> sherpaEncoder(Path dir) {
        for (String suffix : SHERPA_SUFFIXES) {
            Optional<Path> p = files(dir).filter(f -> f.getFileName().toString().endsWith("-encoder" + suffix))
                    .min(Comparator.naturalOrder());
            if (p.isPresent()) return p;
        }
        return Optional.empty();
    }

    private static Optional<Path> hfFile(Path dir, String stem, List<String> suffixes) {
        for (String suffix : suffixes) {
            Path p = dir.resolve(stem + suffix + ".onnx");
            if (Files.isRegularFile(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static String suffixOf(Path file, String stem) {
        String name = file.getFileName().toString();
        return name.substring(stem.length(), name.length() - ".onnx".length());
    }

    private static Stream<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).toList()).stream();
        } catch (IOException e) {
            throw new SottoException(dir + ": cannot list the directory: " + e.getMessage(), e);
        }
    }

    private static List<String> list(Path dir) {
        return files(dir).map(p -> p.getFileName().toString()).sorted().toList();
    }
}
