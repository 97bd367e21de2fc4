package dev.sotto.whisper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns token bytes into text one token at a time. A character may be split across tokens
 * (common for CJK and emoji); its bytes wait until the token that completes it arrives, so
 * each token's text holds the characters it completes. Malformed bytes become U+FFFD.
 */
final class TokenText {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Appends a token's bytes and returns the characters now complete. */
    String append(byte[] bytes) {
        pending.writeBytes(bytes);
        byte[] all = pending.toByteArray();
        int complete = all.length - incompleteTail(all);
        pending.reset();
        pending.write(all, complete, all.length - complete);
        return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /** Whatever bytes are still waiting (an unfinished character), as replacement text. */
    String flush() {
        String rest = pending.size() == 0 ? "" : pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return rest;
    }

    /** How many trailing bytes start a UTF-8 sequence that is not finished yet. */
    private static int incompleteTail(byte[] b) {
        for (int back = 1; back <= Math.min(3, b.length); back++) {
            int lead = b[b.length - back] & 0xFF;
            if ((lead & 0xC0) == 0x80) continue;   // continuation byte: keep looking for the lead
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            return need > back ? back : 0;
        }
        return 0;
    }
}
