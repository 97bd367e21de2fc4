package dev.sotto.whisper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import dev.sotto.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer over Whisper's real tiktoken ranks (../shared/models/whisper-assets). */
class WhisperTokenizerTest {
    static WhisperTokenizer multilingual;
    static WhisperTokenizer english;

    @BeforeAll
    static void load() {
        Path assets = TestData.shared().resolve("models/whisper-assets");
        multilingual = WhisperTokenizer.fromRanks(assets.resolve("multilingual.tiktoken"));
        english = WhisperTokenizer.fromRanks(assets.resolve("gpt2.tiktoken"));
    }

    static final List<String> TEXTS = List.of(
            " And so, my fellow Americans: ask not what your country can do for you.",
            " Grüße aus Zürich! Die Straße ist 3,5 km lang.",
            " こんにちは、世界。今日はいい天気ですね。",
            " 안녕하세요, 반갑습니다.",
            " 你好，世界！我们今天学习语音识别。",
            " Привет, мир! Это тест.",
            " مرحبا بالعالم",
            " Ça va? Très bien — merci ! 🙂🎉",
            "  two  spaces,\ttabs\nand newlines  ",
            " l'été, it's, we'll, they've, I'd");

    @Test
    void multilingualTextRoundTrips() {
        for (String text : TEXTS) {
            assertEquals(text, multilingual.decode(multilingual.encode(text)), text);
            assertEquals(text, english.decode(english.encode(text)), text);
        }
    }

    @Test
    void knownIdsFromTheRanksFiles() {
        // GPT-2's well-known encoding of "Hello world"; the multilingual vocabulary differs.
        assertArrayEquals(new int[] {15496, 995}, english.encode("Hello world"));
        assertArrayEquals(new int[] {2425, 1002}, multilingual.encode(" Hello world"));
        // sherpa-onnx's blank_id is encode(" ")[0].
        assertArrayEquals(new int[] {220}, multilingual.encode(" "));
        assertArrayEquals(new int[] {220}, english.encode(" "));
        // Every id must be the rank of exactly those bytes in the file.
        Path file = TestData.shared().resolve("models/whisper-assets/multilingual.tiktoken");
        for (String word : List.of(" Welt", " Guten", " Bonjour", "こんにちは", " Kubernetes")) {
            int[] ids = multilingual.encode(word);
            assertEquals(1, ids.length, word);
            assertEquals(rankInFile(file, word), ids[0], word);
        }
    }

    @Test
    void tokensSplittingACharacterDecodeWhenItCompletes() {
        int[] ids = multilingual.encode(" 🙂");
        assertTrue(ids.length > 1, "the emoji takes several byte tokens");
        TokenText text = new TokenText();
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            String part = text.append(multilingual.bytes(ids[i]));
            if (i < ids.length - 1 && !part.isEmpty()) assertTrue(part.equals(" "), "only the space before the emoji is complete early");
            seen.append(part);
        }
        assertEquals(" 🙂", seen.toString());
    }

    @Test
    void nonSpeechTokensAreWhispersSuppressList() {
        // The first part of "suppress_tokens" in Hugging Face's whisper configs (the rest are special tokens).
        int[] expected = {1, 2, 7, 8, 9, 10, 14, 25, 26, 27, 28, 29, 31, 58, 59, 60, 61, 62, 63, 90, 91, 92, 93, 359, 503,
            522, 542, 873, 893, 902, 918, 922, 931, 1350, 1853, 1982, 2460, 2627, 3246, 3253, 3268, 3536, 3846, 3961, 4183,
            4667, 6585, 6647, 7273, 9061, 9383, 10428, 10929, 11938, 12033, 12331, 12562, 13793, 14157, 14635, 15265, 15618,
            16553, 16604, 18362, 18956, 20075, 21675, 22520, 26130, 26161, 26435, 28279, 29464, 31650, 32302, 32470, 36865,
            42863, 47425, 49870, 50254};
        assertArrayEquals(expected, multilingual.nonSpeechTokens());
    }

    @Test
    void specialTokenIdsShiftWithTheVocabulary() {
        SpecialTokens v2 = SpecialTokens.forVocabulary(51865);
        SpecialTokens v3 = SpecialTokens.forVocabulary(51866);
        SpecialTokens en = SpecialTokens.forVocabulary(51864);
        assertEquals(List.of(50257, 50258, 50259, 50358, 50359, 50360, 50361, 50362, 50363, 50364),
                List.of(v2.eot(), v2.sot(), v2.languageToken("en"), v2.translate(), v2.transcribe(), v2.sotLm(),
                        v2.sotPrev(), v2.noSpeech(), v2.noTimestamps(), v2.timestampBegin()));
        assertEquals(List.of(50257, 50258, 50259, 50359, 50360, 50361, 50362, 50363, 50364, 50365),
                List.of(v3.eot(), v3.sot(), v3.languageToken("en"), v3.translate(), v3.transcribe(), v3.sotLm(),
                        v3.sotPrev(), v3.noSpeech(), v3.noTimestamps(), v3.timestampBegin()));
        assertEquals(List.of(50256, 50257, 50357, 50358, 50359, 50360, 50361, 50362, 50363),
                List.of(en.eot(), en.sot(), en.translate(), en.transcribe(), en.sotLm(), en.sotPrev(), en.noSpeech(),
                        en.noTimestamps(), en.timestampBegin()));
        assertEquals(100, v3.languageCount());
        assertEquals("yue", v3.languageCode(v3.sot() + 100));
        assertEquals(-1, v2.languageToken("yue"));
        assertTrue(v2.multilingual() && v3.multilingual() && !en.multilingual());
        assertEquals(51865, v2.lastTimestamp() + 1);
        assertThrows(SottoException.class, () -> SpecialTokens.forVocabulary(32000));
    }

    @Test
    void huggingFaceMergesAreAppliedInTheirListedOrder(@TempDir Path dir) throws Exception {
        // A small byte-level vocabulary (id = byte value, then merged tokens) spelled the Hugging Face way (Ġ is a space).
        Files.writeString(dir.resolve("vocab.json"), vocabJsonOfAllBytesPlus("Ġh", "Ġhe", "ll", "Ġhell", "Ġhello", "ab", "bc"));
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nĠ h\nĠh e\nl l\nĠhe ll\nĠhell o\nb c\na b\n");
        WhisperTokenizer hf = WhisperTokenizer.fromVocabJson(dir.resolve("vocab.json"), dir.resolve("merges.txt"), null);
        assertArrayEquals(new int[] {260, 259}, hf.encode(" hello hell"));
        assertEquals(" hello hell", hf.decode(hf.encode(" hello hell")));
        // "b c" is listed before "a b", although "ab" has the lower id: merges decide, not ids.
        assertArrayEquals(new int[] {'a', 262}, hf.encode("abc"));
    }

    private static String vocabJsonOfAllBytesPlus(String... extra) {
        StringBuilder sb = new StringBuilder("{");
        int id = 0;
        for (int b = 0; b < 256; b++) {
            String ch = new String(WhisperTokenizerTest.byteLevelChar(b));
            sb.append('"').append(ch.equals("\"") ? "\\\"" : ch.equals("\\") ? "\\\\" : ch).append("\": ").append(id++).append(", ");
        }
        for (String e : extra) sb.append('"').append(e).append("\": ").append(id++).append(", ");
        sb.setLength(sb.length() - 2);
        return sb.append('}').toString();
    }

    static char[] byteLevelChar(int b) {
        int next = 0;
        for (int i = 0; i < 256; i++) {
            boolean printable = (i >= '!' && i <= '~') || (i >= 0xA1 && i <= 0xAC) || (i >= 0xAE && i <= 0xFF);
            int ch = printable ? i : 256 + next++;
            if (i == b) return Character.toChars(ch);
        }
        throw new IllegalArgumentException();
    }

    private static int rankInFile(Path file, String token) {
        String b64 = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(b64 + " ")) return Integer.parseInt(line.substring(b64.length() + 1).trim());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError(token + " not in " + file);
    }
}
