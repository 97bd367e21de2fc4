package dev.sotto.whisper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.SottoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whisper's byte-level BPE tokenizer, read from any of the files Whisper exports ship:
 * tiktoken ranks ({@code gpt2.tiktoken}, {@code multilingual.tiktoken}) and sherpa-onnx's
 * {@code *-tokens.txt} (the same "base64 rank" lines), or Hugging Face's
 * {@code tokenizer.json} / {@code vocab.json} + {@code merges.txt}. Encodes text (for
 * prompts) and decodes token ids to UTF-8 text; special tokens are known by id only (see
 * {@link SpecialTokens}).
 *
 * <p>Own implementation rather than jtokkit: one small BPE serves all three file formats,
 * including Hugging Face merge lists, which jtokkit cannot read.
 */
final class WhisperTokenizer {
    /** GPT-2's pre-tokenizer (used by every Whisper tokenizer), with Unicode classes as in tiktoken. */
    private static final Pattern PIECES = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private final Bpe bpe;
    private final Map<String, Integer> added;   // special tokens named by the files, e.g. <|en|>
    private final String source;

    private WhisperTokenizer(Bpe bpe, Map<String, Integer> added, String source) {
        this.bpe = bpe;
        this.added = added;
        this.source = source;
    }

    /** tiktoken ranks or sherpa-onnx tokens.txt: one "base64-bytes rank" pair per line. */
    static WhisperTokenizer fromRanks(Path file) {
        List<String> lines = readLines(file);
        Map<Integer, byte[]> byId = new HashMap<>();
        int max = -1;
        for (String line : lines) {
            String s = line.trim();
            if (s.isEmpty()) continue;
            String[] parts = s.split("\\s+");
            try {
                if (parts.length != 2) throw new IllegalArgumentException("two fields expected");
                int id = Integer.parseInt(parts[1]);
                // multilingual.tiktoken spells one empty token as "=", which Python's decoder accepts.
                byte[] bytes = parts[0].replace("=", "").isEmpty() ? new byte[0] : Base64.getDecoder().decode(parts[0]);
                byId.put(id, bytes);
                max = Math.max(max, id);
            } catch (IllegalArgumentException e) {
                throw new SottoException(file + ": line '" + abbreviate(s) + "' is not 'base64-token id' ("
                        + e.getMessage() + "). Expected tiktoken ranks or a sherpa-onnx Whisper tokens.txt");
            }
        }
        if (byId.isEmpty()) throw new SottoException(file + ": no tokens in this file");
        byte[][] tokens = new byte[max + 1][];
        byId.forEach((id, bytes) -> tokens[id] = bytes);
        return new WhisperTokenizer(Bpe.ranked(tokens), Map.of(), file.toString());
    }

    /** A Hugging Face {@code tokenizer.json} with a byte-level BPE model. */
    static WhisperTokenizer fromTokenizerJson(Path file) {
        JsonNode root = readJson(file);
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText("BPE")) || !model.path("vocab").isObject()) {
            throw new SottoException(file + ": expected a byte-level BPE tokenizer (model.type BPE with a vocab)");
        }
        Map<String, Integer> added = new HashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            added.put(t.path("content").asText(), t.path("id").asInt());
        }
        List<String[]> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            // Older files write "a b", newer ones ["a", "b"].
            merges.add(m.isArray() ? new String[] {m.get(0).asText(), m.get(1).asText()} : m.asText().split(" ", 2));
        }
        return fromVocab(toMap(model.path("vocab")), merges, added, file);
    }

    /** {@code vocab.json} + {@code merges.txt} (+ {@code added_tokens.json} when present). */
    static WhisperTokenizer fromVocabJson(Path vocabJson, Path mergesTxt, Path addedTokensJson) {
        List<String[]> merges = new ArrayList<>();
        for (String line : readLines(mergesTxt)) {
            if (line.startsWith("#version") || line.isBlank()) continue;
            merges.add(line.split(" ", 2));
        }
        Map<String, Integer> added = addedTokensJson != null && Files.isRegularFile(addedTokensJson)
                ? toMap(readJson(addedTokensJson)) : Map.of();
        return fromVocab(toMap(readJson(vocabJson)), merges, added, vocabJson);
    }

    private static WhisperTokenizer fromVocab(Map<String, Integer> vocab, List<String[]> mergeNames,
                                              Map<String, Integer> added, Path file) {
        // Special tokens (listed as added tokens, or spelled <|...|>) are not BPE tokens.
        java.util.function.Predicate<String> special = t -> added.containsKey(t) || t.startsWith("<|") && t.endsWith("|>");
        int max = vocab.entrySet().stream().filter(e -> !special.test(e.getKey()))
                .mapToInt(Map.Entry::getValue).max().orElse(-1);
        byte[][] tokens = new byte[max + 1][];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (!special.test(e.getKey())) tokens[e.getValue()] = ByteLevel.decode(e.getKey());
        }
        List<int[]> merges = new ArrayList<>(mergeNames.size());
        for (String[] m : mergeNames) {
            Integer left = vocab.get(m[0]);
            Integer right = m.length > 1 ? vocab.get(m[1]) : null;
            if (left == null || right == null) {
                throw new SottoException(file + ": merge '" + String.join(" ", m) + "' names a token missing from the vocabulary");
            }
            merges.add(new int[] {left, right});
        }
        Bpe bpe = merges.isEmpty() ? Bpe.ranked(tokens) : Bpe.merged(tokens, merges);
        return new WhisperTokenizer(bpe, Map.copyOf(added), file.toString());
    }

    /** Token ids of {@code text} (special-token names are encoded as plain text). */
    int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        Matcher m = PIECES.matcher(text);
        while (m.find()) {
            bpe.encode(m.group().getBytes(StandardCharsets.UTF_8), ids);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Tokens for speaker tags and non-speech annotations ("♪", "[", "(" ...) that decoding
     * suppresses, computed as openai/whisper's {@code non_speech_tokens}: each symbol alone and
     * after a space, when it is one token (the first token for the musical symbols), plus
     * " -" and " '" (which may not start a word).
     */
    int[] nonSpeechTokens() {
        List<String> symbols = new ArrayList<>();
        for (char c : "\"#()*+/:;<=>@[\\]^_`{|}~「」『』".toCharArray()) symbols.add(String.valueOf(c));
        symbols.addAll(List.of("<<", ">>", "<<<", ">>>", "--", "---", "-(", "-[", "('", "(\"", "((", "))", "(((", ")))",
                "[[", "]]", "{{", "}}", "♪♪", "♪♪♪"));
        String musical = "♩♪♫♬♭♮♯";
        for (char c : musical.toCharArray()) symbols.add(String.valueOf(c));
        java.util.TreeSet<Integer> result = new java.util.TreeSet<>();
        result.add(encode(" -")[0]);
        result.add(encode(" '")[0]);
        for (String symbol : symbols) {
            boolean isMusical = symbol.length() == 1 && musical.contains(symbol);
            for (int[] tokens : new int[][] {encode(symbol), encode(" " + symbol)}) {
                if (tokens.length == 1 || isMusical) result.add(tokens[0]);
            }
        }
        return result.stream().mapToInt(Integer::intValue).toArray();
    }

    /** UTF-8 text of the BPE tokens among {@code ids}; special tokens are skipped. */
    String decode(int[] ids) {
        TokenText text = new TokenText();
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append(text.append(bytes(id)));
        return sb.append(text.flush()).toString();
    }

    /** The bytes of a BPE token, or an empty array for special tokens and unknown ids. */
    byte[] bytes(int id) {
        byte[] b = bpe.bytes(id);
        return b == null ? new byte[0] : b;
    }

    /** Number of ids the BPE vocabulary spans (the first special token's id for Whisper files). */
    int bpeSize() {
        return bpe.size();
    }

    /** The id of a special token named in the tokenizer files (e.g. {@code <|en|>}), or null. */
    Integer addedToken(String name) {
        return added.get(name);
    }

    String source() {
        return source;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SottoException(file + ": cannot read the tokenizer file: " + e.getMessage(), e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new SottoException(file + ": not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private static Map<String, Integer> toMap(JsonNode object) {
        Map<String, Integer> map = new HashMap<>(object.size() * 2);
        for (Map.Entry<String, JsonNode> e : object.properties()) map.put(e.getKey(), e.getValue().asInt());
        return map;
    }

    private static String firstLine(String message) {
        if (message == null) return "(no message)";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /**
     * GPT-2's byte-level alphabet: Hugging Face vocabularies spell each byte as a printable
     * character ('Ġ' for a space), so the files stay valid text.
     */
    static final class ByteLevel {
        private static final int[] BYTE_OF_CHAR = new int[512];

        static {
            java.util.Arrays.fill(BYTE_OF_CHAR, -1);
            int next = 0;
            for (int b = 0; b < 256; b++) {
                boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
                int ch = printable ? b : 256 + next++;
                BYTE_OF_CHAR[ch] = b;
            }
        }

        private ByteLevel() {
        }

        static byte[] decode(String token) {
            byte[] out = new byte[token.length()];
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
                if (b < 0) throw new UncheckedIOException(new IOException("not a byte-level BPE token: " + token));
                out[i] = (byte) b;
            }
            return out;
        }
    }
}
