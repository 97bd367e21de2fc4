package dev.sotto.server.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Raw audio as the live protocols send it: 16-bit little-endian PCM, or G.711 mu-law and A-law bytes. */
public final class Pcm {
    private Pcm() {
    }

    /** 16-bit little-endian samples to floats in [-1, 1]; a 400 for an odd byte count. */
    public static float[] s16le(ByteBuffer bytes) {
        if (bytes.remaining() % 2 != 0) {
            throw ServeException.badRequest("audio", "a PCM frame of " + bytes.remaining() + " bytes: 16-bit samples "
                    + "need an even number of bytes (the frame was dropped)");
        }
        ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 2];
        for (int i = 0; i < out.length; i++) out[i] = b.getShort() / 32768f;
        return out;
    }

    /** G.711 mu-law (ITU-T G.711, as telephony and OpenAI's {@code audio/pcmu} send it). */
    public static float[] muLaw(byte[] bytes) {
        float[] out = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            int u = ~bytes[i] & 0xff;
            int magnitude = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
            out[i] = ((u & 0x80) != 0 ? 0x84 - magnitude : magnitude - 0x84) / 32768f;
        }
        return out;
    }

    /** G.711 A-law ({@code audio/pcma}). */
    public static float[] aLaw(byte[] bytes) {
        float[] out = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            int a = (bytes[i] ^ 0x55) & 0xff;
            int exponent = (a & 0x70) >> 4;
            int mantissa = a & 0x0f;
            int magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
            out[i] = ((a & 0x80) != 0 ? magnitude : -magnitude) / 32768f;
        }
        return out;
    }
}
