import dev.sotto.audio.AudioDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the long input of benchmarks/peer/compare: the English clips of a manifest
 * (real speech, decoded to 16 kHz mono), repeated in order until the file lasts at least the
 * given number of seconds, as 16-bit PCM WAV (the format both programs read directly).
 *
 * <pre>java -cp target/sotto.jar benchmarks/peer/LongWav.java MANIFEST SECONDS OUT.wav</pre>
 */
public class LongWav {
    public static void main(String[] args) throws Exception {
        Path manifest = Path.of(args[0]);
        double seconds = Double.parseDouble(args[1]);
        Path out = Path.of(args[2]);
        List<float[]> clips = new ArrayList<>();
        for (String line : Files.readAllLines(manifest)) {
            String[] f = line.split("\t");
            if (f.length < 2 || !f[1].equals("en")) continue;
            try (AudioDecoder in = AudioDecoder.open(manifest.resolveSibling(f[0]))) {
                float[] all = new float[0];
                float[] buf = new float[AudioDecoder.SAMPLE_RATE];
                int total = 0;
                for (int n; (n = in.read(buf, 0, buf.length)) > 0; total += n) {
                    if (total + n > all.length) all = java.util.Arrays.copyOf(all, Math.max(total + n, 2 * all.length));
                    System.arraycopy(buf, 0, all, total, n);
                }
                clips.add(java.util.Arrays.copyOf(all, total));
            }
        }
        if (clips.isEmpty()) throw new IllegalArgumentException(manifest + ": no English clips");
        long want = (long) Math.ceil(seconds * AudioDecoder.SAMPLE_RATE);
        float[] joined = new float[(int) want];
        int at = 0;
        for (int i = 0; at < want; i = (i + 1) % clips.size()) {
            float[] c = clips.get(i);
            int k = (int) Math.min(c.length, want - at);
            System.arraycopy(c, 0, joined, at, k);
            at += k;
        }
        ByteBuffer wav = ByteBuffer.allocate(44 + 2 * joined.length).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + 2 * joined.length).put("WAVEfmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(AudioDecoder.SAMPLE_RATE)
                .putInt(2 * AudioDecoder.SAMPLE_RATE).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(2 * joined.length);
        for (float x : joined) wav.putShort((short) Math.max(-32768, Math.min(32767, Math.round(x * 32768.0))));
        Files.write(out, wav.array());
        System.err.printf("%s: %.1f s of speech from %d clips%n", out, want / (double) AudioDecoder.SAMPLE_RATE, clips.size());
    }
}
