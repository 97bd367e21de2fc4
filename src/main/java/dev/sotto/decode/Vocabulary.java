package dev.sotto.decode;

import dev.sotto.SottoException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece vocabulary from sherpa-onnx's {@code tokens.txt}: one
 * {@code "<piece> <id>"} per line. Detokenisation joins pieces, turns {@code ▁} into
 * spaces, and decodes byte-fallback pieces ({@code <0xE3>}) as UTF-8.
 */
public final class Vocabulary {
    private static final char WORD_START = '\u2581';

    private final String[] pieces;
    private final Map<String, Integer> ids;

    private Vocabulary(String[] pieces) {
        this.pieces = pieces;
        this.ids = new HashMap<>();
        for (int i = 0; i < pieces.length; i++) {
            if (pieces[i] != null) ids.putIfAbsent(pieces[i], i);
        }
    }

    public static Vocabulary load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SottoException(file + ": cannot read the token list: " + e.getMessage(), e);
        }
        Map<Integer, String> byId = new HashMap<>();
        int max = -1;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) continue;
            // The piece itself may be a space-like character; the id is the last field.
            int cut = line.lastIndexOf(' ');
            int id;
            try {
                id = Integer.parseInt(line.substring(cut + 1).trim());
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new SottoException(file + ": line " + (n + 1) + " is not '<piece> <id>': '" + line + "'");
            }
            String piece = cut <= 0 ? " " : line.substring(0, cut);
            if (byId.put(id, piece) != null) {
                throw new SottoException(file + ": id " + id + " appears twice (line " + (n + 1) + ")");
            }
            max = Math.max(max, id);
        }
        if (max < 0) throw new SottoException(file + ": the token list is empty");
        String[] pieces = new String[max + 1];
        byId.forEach((id, piece) -> pieces[id] = piece);
        return new Vocabulary(pieces);
    }

    /** Number of ids (including blank when the file lists it). */
    public int size() {
        return pieces.length;
    }

    public String piece(int id) {
        return id >= 0 && id < pieces.length && pieces[id] != null ? pieces[id] : "<unk:" + id + ">";
    }

    /** The id of a piece, or -1. */
    public int id(String piece) {
        return ids.getOrDefault(piece, -1);
    }

    /** A token's text as it reads in a transcript: {@code ▁} becomes a space. */
    public String tokenText(int id) {
        String p = piece(id);
        return isByte(p) ? new String(new byte[] {parseByte(p)}, StandardCharsets.ISO_8859_1) : p.replace(WORD_START, ' ');
    }

    /** The text of a token sequence, trimmed. */
    public String detokenize(List<Integer> tokenIds) {
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : tokenIds) {
            String p = piece(id);
            if (isByte(p)) {
                bytes.write(parseByte(p));
                continue;
            }
            flush(bytes, text);
            text.append(p.replace(WORD_START, ' '));
        }
        flush(bytes, text);
        return text.toString().strip();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder text) {
        if (bytes.size() > 0) {
            text.append(bytes.toString(StandardCharsets.UTF_8).replace(WORD_START, ' '));
            bytes.reset();
        }
    }

    private static boolean isByte(String p) {
        return p.length() == 6 && p.startsWith("<0x") && p.endsWith(">");
    }

    private static byte parseByte(String p) {
        return (byte) Integer.parseInt(p.substring(3, 5), 16);
    }

    /** Ids whose piece is {@code <tag>} for one of the given tags (e.g. language tags), mapped to the tag. */
    public Map<Integer, String> idsOfTags(Iterable<String> tags) {
        Map<Integer, String> out = new HashMap<>();
        for (String tag : tags) {
            int id = id("<" + tag + ">");
            if (id >= 0) out.put(id, tag);
        }
        return out;
    }

    public List<String> pieces() {
        List<String> list = new ArrayList<>(pieces.length);
        for (String p : pieces) list.add(p);
        return list;
    }
}
