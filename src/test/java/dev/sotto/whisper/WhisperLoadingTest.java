package dev.sotto.whisper;

import dev.sotto.engine.StreamOptions;
import static dev.sotto.whisper.WhisperTesting.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Engine;
import dev.sotto.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layout detection, file choice and the errors users see for incomplete model folders. */
class WhisperLoadingTest {
    @Test
    void detectsBothLayouts() {
        for (String name : WhisperEngineTest.ALL) assertTrue(WhisperEngine.looksLikeWhisper(model(name)), name);
        assertFalse(WhisperEngine.looksLikeWhisper(TestData.testModels().resolve("nemotron-en/160ms")));
        assertFalse(WhisperEngine.looksLikeWhisper(TestData.shared().resolve("models/zipformer-gigaspeech-3.3m")));
        assertEquals(WhisperFiles.Layout.SHERPA, WhisperFiles.find(model("sherpa-tiny.en")).layout());
        assertEquals(WhisperFiles.Layout.HUGGING_FACE, WhisperFiles.find(model("hf-large-v3-turbo")).layout());
    }

    @Test
    void prefersFullPrecisionAndTheMergedDecoder() {
        WhisperFiles hf = WhisperFiles.find(model("hf-tiny"));   // has fp32 and _quantized, merged and pair
        assertEquals("encoder_model.onnx", hf.encoder().getFileName().toString());
        assertEquals("decoder_model_merged.onnx", hf.decoder().getFileName().toString());
        assertNull(hf.decoderWithPast());
        WhisperFiles turbo = WhisperFiles.find(model("hf-large-v3-turbo"));   // onnx/ folder, the pair only
        assertEquals("onnx", turbo.encoder().getParent().getFileName().toString());
        assertEquals("decoder_with_past_model.onnx", turbo.decoderWithPast().getFileName().toString());
        assertEquals("vocab.json", turbo.tokenizer().getFileName().toString());
        WhisperFiles int8 = WhisperFiles.find(model("sherpa-base-int8"));
        assertEquals("base-decoder.int8.onnx", int8.decoder().getFileName().toString());
    }

    @Test
    void quantizedOnlyHuggingFaceFolderLoads(@TempDir Path dir) throws IOException {
        for (String f : new String[] {"encoder_model_quantized.onnx", "decoder_model_quantized.onnx",
            "decoder_with_past_model_quantized.onnx", "tokenizer.json", "config.json", "generation_config.json"}) {
            Files.copy(model("hf-tiny").resolve(f), dir.resolve(f));
        }
        assertEquals(WhisperFiles.Layout.HUGGING_FACE, WhisperFiles.find(dir).layout());
        var r = WhisperTesting.transcribe(dir, WhisperTesting.audio(80, "two-segments"), DecodingConfig.DEFAULT);
        assertEquals("Hello world. The cat sat on the mat.", r.text());
    }

    @Test
    void encoderWithoutTokenizerIsAClearError(@TempDir Path dir) throws IOException {
        Files.copy(model("hf-tiny").resolve("encoder_model.onnx"), dir.resolve("encoder_model.onnx"));
        Files.copy(model("hf-tiny").resolve("decoder_model_merged.onnx"), dir.resolve("decoder_model_merged.onnx"));
        SottoException e = assertThrows(SottoException.class, () -> WhisperFiles.find(dir));
        assertTrue(e.getMessage().contains("no tokenizer") && e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void sherpaEncoderWithoutDecoderOrTokensIsAClearError(@TempDir Path dir) throws IOException {
        Files.copy(model("sherpa-tiny.en").resolve("tiny.en-encoder.onnx"), dir.resolve("tiny.en-encoder.onnx"));
        SottoException e = assertThrows(SottoException.class, () -> WhisperFiles.find(dir));
        assertTrue(e.getMessage().contains("tiny.en-decoder.onnx"), e.getMessage());
        Files.copy(model("sherpa-tiny.en").resolve("tiny.en-decoder.onnx"), dir.resolve("tiny.en-decoder.onnx"));
        e = assertThrows(SottoException.class, () -> WhisperFiles.find(dir));
        assertTrue(e.getMessage().contains("tiny.en-tokens.txt"), e.getMessage());
    }

    @Test
    void wrongTokenizerIsAClearError(@TempDir Path dir) throws IOException {
        for (String f : new String[] {"tiny.en-encoder.onnx", "tiny.en-decoder.onnx"}) {
            Files.copy(model("sherpa-tiny.en").resolve(f), dir.resolve(f));
        }
        // The multilingual token table with an English-only model.
        Files.copy(model("sherpa-large-v3").resolve("large-v3-tokens.txt"), dir.resolve("tiny.en-tokens.txt"));
        SottoException e = assertThrows(SottoException.class,
                () -> WhisperEngine.load(dir, WhisperTesting.RUNTIME, DecodingConfig.DEFAULT));
        assertTrue(e.getMessage().contains("50257 BPE tokens") && e.getMessage().contains("needs 50256"), e.getMessage());
    }

    @Test
    void badOptionsAreClearErrors() {
        SottoException translate = assertThrows(SottoException.class, () -> WhisperEngine.load(model("sherpa-tiny.en"),
                WhisperTesting.RUNTIME, DecodingConfig.builder().task("translate").build()));
        assertTrue(translate.getMessage().contains("English-only"), translate.getMessage());
        SottoException german = assertThrows(SottoException.class, () -> WhisperEngine.load(model("sherpa-tiny.en"),
                WhisperTesting.RUNTIME, DecodingConfig.builder().language("de").build()));
        assertTrue(german.getMessage().contains("English-only"), german.getMessage());
        SottoException klingon = assertThrows(SottoException.class, () -> WhisperEngine.load(model("hf-tiny"),
                WhisperTesting.RUNTIME, DecodingConfig.builder().language("tlh").build()));
        assertTrue(klingon.getMessage().contains("not one of this model's 99 languages"), klingon.getMessage());
        // Cantonese exists in large-v3 only; names and regions are accepted.
        assertThrows(SottoException.class, () -> WhisperEngine.load(model("hf-tiny"), WhisperTesting.RUNTIME,
                DecodingConfig.builder().language("yue").build()));
        try (Engine e = WhisperEngine.load(model("hf-large-v3-turbo"), WhisperTesting.RUNTIME,
                DecodingConfig.builder().language("Cantonese").build())) {
            assertEquals("yue", e.newStream(StreamOptions.DEFAULT).result().language());
            assertEquals("de", e.newStream(StreamOptions.language("de-DE")).result().language());
        }
    }

    @Test
    void vadModeWithoutAVadModelSaysWhereToPutIt(@TempDir Path dir) throws IOException {
        for (String f : new String[] {"tiny.en-encoder.onnx", "tiny.en-decoder.onnx", "tiny.en-tokens.txt"}) {
            Files.copy(model("sherpa-tiny.en").resolve(f), dir.resolve(f));
        }
        SottoException e = assertThrows(SottoException.class,
                () -> WhisperEngine.load(dir, WhisperTesting.RUNTIME, DecodingConfig.builder().vad(true).build()));
        assertTrue(e.getMessage().contains("silero_vad"), e.getMessage());
        Files.copy(TestData.shared().resolve("models/silero-vad/silero_vad_v6.onnx"), dir.resolve("silero_vad_v6.onnx"));
        try (Engine engine = WhisperEngine.load(dir, WhisperTesting.RUNTIME, DecodingConfig.builder().vad(true).build())) {
            assertEquals("whisper", engine.info().family());
        }
    }
}
