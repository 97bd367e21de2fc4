package dev.sotto.engine;

import dev.sotto.decode.Emission;
import dev.sotto.features.SampleBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One stream of an {@link OfflineEngine}: it keeps its audio until it is cut into pieces,
 * and the pieces until they are decoded. An input no longer than one piece is decoded
 * whole when it ends; a longer one goes through the cutter as it arrives, so only the
 * audio of pieces not yet decoded is held. Audio may be fed on one thread while another
 * decodes: the methods are synchronized, the encoder and search run outside.
 */
final class OfflineStream implements EngineStream {
    /** A piece of audio to decode, numbered in stream order. */
    record Piece(int index, long start, float[] samples) {
    }

    private final OfflineEngine.Settings settings;
    private final OfflineTranscript transcript;
    private final SampleBuffer audio = new SampleBuffer();
    private final FrameEnergy energy = new FrameEnergy();
    private final Deque<Piece> pending = new ArrayDeque<>();
    private AudioCutter cutter;      // from the start with VAD asked for, else once the input outgrows one piece
    private int pieces;
    private int inFlight;
    private boolean finished;
    private double decodedUntil;

    OfflineStream(OfflineEngine.Settings settings, OfflineTranscript transcript) {
        this.settings = settings;
        this.transcript = transcript;
        if (settings.alwaysCut()) cutter = settings.newCutter();
    }

    @Override
    public synchronized void acceptWaveform(float[] samples, int offset, int length) {
        if (finished) throw new IllegalStateException("acceptWaveform after inputFinished");
        audio.append(samples, offset, length);
        energy.accept(samples, offset, length);
        if (cutter == null && audio.length() > settings.maxSamples()) {
            cutter = settings.newCutter();
            float[] all = audio.copy(0, (int) audio.length());
            cutter.accept(all, 0, all.length);
        } else if (cutter != null) {
            cutter.accept(samples, offset, length);
        }
        if (cutter != null) collect();
    }

    @Override
    public synchronized void inputFinished() {
        if (finished) return;
        finished = true;
        if (cutter == null) {
            if (audio.length() > 0) pending.add(new Piece(pieces++, 0, audio.copy(0, (int) audio.length())));
            audio.discardBefore(audio.length());
        } else {
            cutter.finish();
            collect();
        }
    }

    /** Takes the cutter's final pieces, each starting on the encoder's frame grid, and drops audio no piece needs. */
    private void collect() {
        int grid = settings.gridSamples();
        for (Span span : cutter.poll()) {
            long start = span.start() / grid * grid;
            if (span.end() > start) pending.add(new Piece(pieces++, start, audio.copy(start, (int) (span.end() - start))));
        }
        audio.discardBefore(Math.min(audio.length(), cutter.keepFrom() / grid * grid));
    }

    /** A full batch of pieces is waiting, or the last ones. */
    @Override
    public synchronized boolean isReady() {
        return !pending.isEmpty() && (pending.size() >= settings.batchSize() || finished);
    }

    @Override
    public synchronized boolean isDone() {
        return finished && pending.isEmpty() && inFlight == 0;
    }

    /** The pieces waiting to be decoded, now in flight. */
    synchronized List<Piece> take() {
        List<Piece> out = new ArrayList<>(pending);
        pending.clear();
        inFlight += out.size();
        return out;
    }

    synchronized void complete(Piece piece, List<Emission> emissions) {
        inFlight--;
        transcript.add(piece.index(), piece.start() / 16000.0, emissions);
        decodedUntil = Math.max(decodedUntil, (piece.start() + piece.samples().length) / 16000.0);
    }

    @Override
    public synchronized Result result() {
        return transcript.result(energy.view());
    }

    @Override
    public synchronized double secondsAccepted() {
        return audio.length() / 16000.0;
    }

    @Override
    public synchronized double secondsDecoded() {
        return isDone() ? secondsAccepted() : Math.min(decodedUntil, secondsAccepted());
    }
}
