package dev.sotto.audio;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import dev.sotto.SottoException;

/**
 * Decodes any audio or video file or stream FFmpeg understands to 16 kHz mono float,
 * a piece at a time: memory stays bounded by one decoded frame, whatever the input's length.
 *
 * <pre>{@code
 * try (AudioDecoder in = AudioDecoder.open("talk.mp3")) {
 *     float[] buf = new float[AudioDecoder.SAMPLE_RATE];
 *     for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) {
 *         stream.acceptWaveform(buf, 0, n);
 *     }
 * }
 * }</pre>
 *
 * <p>Channels are averaged to mono and the rate converted with FFmpeg's resampler. A WAV file
 * that is already 16 kHz mono 16-bit or float PCM is read directly ({@link PlainWav}: the same
 * samples, without loading FFmpeg). Bad input
 * fails in {@link #open} with a {@link SottoException} that names the input and says what to do;
 * input that turns out to hold no samples at all fails at its end, in {@link #read}.
 * Damaged input is decoded as far as FFmpeg can: a file that ends early or has unreadable
 * parts still gives the audio that could be decoded, with a warning logged through
 * java.util.logging (logger {@code dev.sotto.audio.AudioDecoder}) and kept in
 * {@link #warnings()}; a read error (disk, pipe) in mid-stream throws, giving the position
 * reached. Not thread-safe.
 */
public final class AudioDecoder implements AutoCloseable {
    /** The rate of every sample this class returns. */
    public static final int SAMPLE_RATE = 16000;

    private static final Logger LOG = Logger.getLogger(AudioDecoder.class.getName());

    private final String name;
    private final FFmpegFrameGrabber grabber; // null for a plain WAV
    private final PlainWav wav; // null when FFmpeg decodes
    private final GuardedInputStream stream; // null when reading a file by path
    private final MonoConverter converter;
    private final String description;
    private final List<String> warnings = new ArrayList<>();

    private int pendingPos; // next unread sample in converter.samples()
    private long produced; // samples decoded so far: the position for messages
    private int ffmpegErrors;
    private double firstErrorAt;
    private String firstError;
    private boolean damageReported;
    private boolean ended;
    private boolean closed;
    private SottoException failure; // once reading failed, every later read says so again

    private AudioDecoder(String name, PlainWav wav) {
        this.name = name;
        this.grabber = null;
        this.wav = wav;
        this.stream = null;
        this.converter = null;
        this.description = wav.codec() + ", " + SAMPLE_RATE + " Hz, 1 channel (wav)";
    }

    private AudioDecoder(String name, FFmpegFrameGrabber grabber, GuardedInputStream stream) {
        this.name = name;
        this.grabber = grabber;
        this.wav = null;
        this.stream = stream;
        this.converter = new MonoConverter(SAMPLE_RATE);
        try (FfmpegLog.Capture log = FfmpegLog.capture()) {
            start(log);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.description = describe();
    }

    /** Opens a file by path, or standard input for {@code "-"}. */
    public static AudioDecoder open(String pathOrDash) {
        Objects.requireNonNull(pathOrDash, "pathOrDash");
        if (pathOrDash.equals("-")) {
            return open(System.in, "-");
        }
        Path path;
        try {
            path = Path.of(pathOrDash);
        } catch (InvalidPathException e) {
            throw Messages.badPath(pathOrDash, e.getReason());
        }
        return open(path);
    }

    /** Opens a file. */
    public static AudioDecoder open(Path path) {
        return open(path, path.toString());
    }

    /** Opens a file that messages call {@code name} (an upload's original name, say). */
    public static AudioDecoder open(Path path, String name) {
        Objects.requireNonNull(path, "path");
        checkFile(path, name);
        PlainWav wav = Files.isRegularFile(path) ? PlainWav.open(path) : null;
        if (wav != null) {
            return new AudioDecoder(name, wav);
        }
        return openWithFfmpeg(path, name);
    }

    /** Opens a file through FFmpeg whatever it holds (tests compare this with {@link PlainWav}). */
    static AudioDecoder openWithFfmpeg(Path path, String name) {
        FfmpegLog.install();
        // "file:" keeps FFmpeg from taking a name like "rtp:x.wav" for a protocol.
        FFmpegFrameGrabber g = new FFmpegFrameGrabber("file:" + path.toAbsolutePath());
        return new AudioDecoder(name, g, null);
    }

    /**
     * Decodes a stream, which need not be seekable; {@code name} stands for it in messages
     * ({@code "-"} reads as "standard input"). The decoder closes the stream when closed,
     * unless it is {@link System#in}. MP4/M4A/MOV streams need their index at the start
     * ("faststart").
     */
    public static AudioDecoder open(InputStream in, String name) {
        Objects.requireNonNull(in, "in");
        String shown = name == null || name.equals("-") ? "standard input" : name;
        FfmpegLog.install();
        GuardedInputStream guarded = new GuardedInputStream(in, in != System.in);
        // A maximum size of 0 tells JavaCV not to buffer for seeking back: memory stays flat.
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(guarded, 0);
        return new AudioDecoder(shown, g, guarded);
    }

    private static void checkFile(Path path, String name) {
        if (!Files.exists(path)) {
            throw Messages.notFound(name, Path.of("").toAbsolutePath().toString());
        }
        if (Files.isDirectory(path)) {
            throw Messages.isDirectory(name);
        }
        if (!Files.isReadable(path)) {
            throw Messages.notReadable(name);
        }
        try {
            // Only regular files: pipes and devices report a size of 0 but can still be read.
            if (Files.isRegularFile(path) && Files.size(path) == 0) {
                throw Messages.emptyFile(name);
            }
        } catch (java.io.IOException e) {
            throw Messages.readFailed(name, 0, e.getMessage());
        }
    }

    private void start(FfmpegLog.Capture log) {
        grabber.setSampleMode(FrameGrabber.SampleMode.RAW); // MonoConverter does the conversion
        grabber.setVideoStream(Integer.MAX_VALUE); // never pick (or need a decoder for) a video stream
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw OpenFailure.explain(name, grabber, stream, e, log);
        }
        noteFfmpegErrors(log);
        // Some demuxers trust the file name: text called x.flac opens as a FLAC stream of 0 Hz.
        if (grabber.getSampleRate() <= 0 || grabber.getAudioChannels() <= 0) {
            throw Messages.noSoundParameters(name, Ffmpeg.formatName(grabber.getFormatContext()),
                    grabber.getSampleRate(), grabber.getAudioChannels());
        }
    }

    private String describe() {
        int channels = grabber.getAudioChannels();
        String codec = Ffmpeg.codecName(grabber.getAudioCodec());
        String container = Ffmpeg.formatName(grabber.getFormatContext());
        return codec + ", " + grabber.getSampleRate() + " Hz, " + channels + (channels == 1 ? " channel" : " channels")
                + (container.equals(codec) ? "" : " (" + container + ")");
    }

    /**
     * Reads up to {@code length} samples (16 kHz mono, nominally in [-1, 1]) into
     * {@code buffer}, blocking until that many are decoded or the input ends.
     *
     * @return the number of samples read, fewer than {@code length} only at the end of the
     *         input; -1 once the input is exhausted
     * @throws SottoException if the input cannot be read or decoded any further, or ends without
     *         a single sample
     */
    public int read(float[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (closed) {
            throw new IllegalStateException("AudioDecoder for " + name + " is closed");
        }
        if (failure != null) {
            throw failure;
        }
        if (wav != null) {
            return readWav(buffer, offset, length);
        }
        int n = 0;
        while (n < length) {
            int available = converter.count() - pendingPos;
            if (available == 0) {
                try {
                    if (!decodeMore()) {
                        break;
                    }
                } catch (SottoException e) {
                    failure = e;
                    throw e;
                }
                continue;
            }
            int k = Math.min(length - n, available);
            System.arraycopy(converter.samples(), pendingPos, buffer, offset + n, k);
            pendingPos += k;
            n += k;
        }
        return n == 0 && length > 0 ? -1 : n;
    }

    private int readWav(float[] buffer, int offset, int length) {
        try {
            int n = wav.read(buffer, offset, length);
            if (n > 0) {
                produced += n;
            }
            return n;
        } catch (java.io.IOException e) {
            failure = Messages.readFailed(name, seconds(), e.getMessage());
            throw failure;
        }
    }

    /** Decodes the next frame into the converter; false at the end of the input. */
    private boolean decodeMore() {
        if (ended) {
            return false;
        }
        pendingPos = 0;
        try (FfmpegLog.Capture log = FfmpegLog.capture()) {
            Frame frame = grabber.grabSamples();
            if (frame == null) {
                ended = true;
                converter.flush();
            } else {
                converter.convert((AVFrame) frame.opaque);
            }
            noteFfmpegErrors(log);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw Messages.decodeFailed(name, seconds(), e.getMessage());
        }
        produced += converter.count();
        if (ended) {
            checkEnd();
        }
        reportDamage();
        return true;
    }

    /** At the end of input: a read error throws; signs of damage or truncation warn. */
    private void checkEnd() {
        if (stream != null && stream.failure() != null) {
            throw Messages.readFailed(name, seconds(), stream.failure().getMessage());
        }
        AVFormatContext oc = grabber.getFormatContext();
        if (stream == null && oc.pb() != null && !oc.pb().isNull() && oc.pb().error() < 0) {
            throw Messages.readFailed(name, seconds(), Ffmpeg.describeError(oc.pb().error()));
        }
        if (produced == 0 && ffmpegErrors > 0) { // nothing usable: an error, not a warning
            if (stream != null && Ffmpeg.formatName(oc).equals("mov")) {
                throw Messages.missingIndex(name, true);
            }
            throw Messages.decodeFailed(name, 0, firstError);
        }
        if (produced == 0) { // 0.0 s of audio is never what the caller wanted
            throw Messages.noSamples(name);
        }
        if (ffmpegErrors > 1) {
            reportDamage();
            warn(Messages.damagedTotal(name, ffmpegErrors, firstErrorAt));
        }
        double declared = stream == null ? Ffmpeg.lengthSeconds(oc, grabber.getAudioStream(), true) : Double.NaN;
        if (seconds() < declared - Math.max(0.5, 0.02 * declared)) {
            warn(Messages.truncated(name, seconds(), declared));
        }
    }

    private void noteFfmpegErrors(FfmpegLog.Capture log) {
        if (log.count() == 0) {
            return;
        }
        if (ffmpegErrors == 0) {
            firstErrorAt = seconds();
            firstError = log.first();
        }
        ffmpegErrors += log.count();
    }

    /** Warns of the first damage once some audio came out (with none, the end throws instead). */
    private void reportDamage() {
        if (ffmpegErrors > 0 && !damageReported && produced > 0) {
            damageReported = true;
            warn(Messages.damaged(name, firstErrorAt, firstError));
        }
    }

    private void warn(String message) {
        LOG.warning(message);
        warnings.add(message);
    }

    private double seconds() {
        return produced / (double) SAMPLE_RATE;
    }

    /**
     * The audio's length as the file declares it, in seconds (possibly an estimate, e.g. for
     * MP3 without a header giving it); NaN when unknown, always for streams.
     */
    public double durationSeconds() {
        if (stream != null || closed) {
            return Double.NaN;
        }
        if (wav != null) {
            return wav.samples() / (double) SAMPLE_RATE;
        }
        return Ffmpeg.lengthSeconds(grabber.getFormatContext(), grabber.getAudioStream(), false);
    }

    /** The source audio, e.g. "mp3, 44100 Hz, 2 channels" or "aac, 48000 Hz, 1 channel (mov)". */
    public String description() {
        return description;
    }

    /** The name used in messages: the path as given, or the stream's name. */
    public String name() {
        return name;
    }

    /** Warnings about damaged or truncated input logged so far (at most a few). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Whether FFmpeg decodes this input (false: a plain WAV read directly). */
    boolean usesFfmpeg() {
        return wav == null;
    }

    /** Samples the decoder can hold at once: one converted frame, whatever the input's length. */
    int bufferCapacity() {
        return wav != null ? wav.bufferCapacity() : converter.samples().length;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (wav != null) {
            wav.close();
            return;
        }
        converter.close();
        try {
            grabber.release();
        } catch (FrameGrabber.Exception e) {
            LOG.fine(() -> "closing " + name + ": " + e.getMessage());
        }
    }
}
