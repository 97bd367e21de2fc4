package dev.sotto.whisper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte-level byte-pair encoding over a fixed vocabulary of byte strings. Whisper's
 * tokenizers come in two flavours that agree on Whisper's vocabulary but state the merge
 * order differently: tiktoken files give each token a rank and merge the adjacent pair
 * whose concatenation has the lowest rank; Hugging Face files list merges (pairs of
 * tokens) by priority. Both are a {@link MergeOrder}.
 */
final class Bpe {
    /** The priority of merging two adjacent parts (lower first), or {@link Integer#MAX_VALUE} when they never merge. */
    interface MergeOrder {
        int rank(int leftId, int rightId, byte[] merged);
    }

    private final byte[][] tokens;                 // id -> bytes
    private final Map<Bytes, Integer> ids;         // bytes -> id
    private final MergeOrder order;
    private final boolean wholePieces;
    private final int[] byteIds = new int[256];    // single byte -> id

    /** tiktoken style: a token's rank is its id; parts merge when their concatenation is a token. */
    static Bpe ranked(byte[][] tokens) {
        Map<Bytes, Integer> ids = index(tokens);
        return new Bpe(tokens, ids, (l, r, merged) -> ids.getOrDefault(new Bytes(merged), Integer.MAX_VALUE), true);
    }

    /** Hugging Face style: merges[i] = {leftId, rightId} has priority i. */
    static Bpe merged(byte[][] tokens, List<int[]> merges) {
        Map<Bytes, Integer> ids = index(tokens);
        Map<Long, Integer> priority = new HashMap<>();
        for (int i = 0; i < merges.size(); i++) {
            priority.putIfAbsent(((long) merges.get(i)[0] << 32) | merges.get(i)[1], i);
        }
        return new Bpe(tokens, ids, (l, r, merged) -> priority.getOrDefault(((long) l << 32) | r, Integer.MAX_VALUE), false);
    }

    /** wholePieces: a piece that is itself a token is returned as is (what tiktoken does). */
    private Bpe(byte[][] tokens, Map<Bytes, Integer> ids, MergeOrder order, boolean wholePieces) {
        this.tokens = tokens;
        this.ids = ids;
        this.order = order;
        this.wholePieces = wholePieces;
        Arrays.fill(byteIds, -1);
        for (int b = 0; b < 256; b++) {
            Integer id = ids.get(new Bytes(new byte[] {(byte) b}));
            if (id != null) byteIds[b] = id;
        }
    }

    private static Map<Bytes, Integer> index(byte[][] tokens) {
        Map<Bytes, Integer> ids = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] != null) ids.putIfAbsent(new Bytes(tokens[i]), i);
        }
        return ids;
    }

    int size() {
        return tokens.length;
    }

    /** The bytes of token {@code id}, or null when the id is not a BPE token. */
    byte[] bytes(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    Integer id(byte[] bytes) {
        return ids.get(new Bytes(bytes));
    }

    /** Encodes one pre-tokenized piece: start from single bytes, merge the best pair until none merges. */
    void encode(byte[] piece, List<Integer> out) {
        Integer whole = wholePieces ? ids.get(new Bytes(piece)) : null;
        if (whole != null) {
            out.add(whole);
            return;
        }
        List<byte[]> parts = new ArrayList<>(piece.length);
        List<Integer> partIds = new ArrayList<>(piece.length);
        for (byte b : piece) {
            int id = byteIds[b & 0xFF];
            if (id < 0) throw new IllegalStateException("the vocabulary has no token for byte " + (b & 0xFF));
            parts.add(new byte[] {b});
            partIds.add(id);
        }
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            byte[] bestMerged = null;
            for (int i = 0; i + 1 < parts.size(); i++) {
                byte[] merged = concat(parts.get(i), parts.get(i + 1));
                int rank = order.rank(partIds.get(i), partIds.get(i + 1), merged);
                if (rank < bestRank) {
                    bestRank = rank;
                    best = i;
                    bestMerged = merged;
                }
            }
            if (best < 0) break;
            Integer mergedId = ids.get(new Bytes(bestMerged));
            if (mergedId == null) break;   // a merge rule naming a token the vocabulary lacks
            parts.set(best, bestMerged);
            partIds.set(best, mergedId);
            parts.remove(best + 1);
            partIds.remove(best + 1);
        }
        out.addAll(partIds);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A byte string usable as a map key. */
    record Bytes(byte[] value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(b.value, value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }
    }
}
