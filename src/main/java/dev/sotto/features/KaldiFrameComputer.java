package dev.sotto.features;

/**
 * Turns one frame of raw samples into Kaldi log-mel filterbank values: remove the DC
 * offset, pre-emphasise, apply the Povey window, zero-pad to the FFT size, take the power
 * spectrum, sum it under the mel triangles and take the log (floored at float epsilon, as
 * Kaldi does). Scratch buffers are reused, so an instance serves one stream.
 */
final class KaldiFrameComputer {
    private static final double FLOAT_EPSILON = Math.ulp(1.0f);

    private final KaldiFbank.Options options;
    private final double[] window;
    private final Fft fft;
    private final KaldiMelBanks melBanks;
    private final double[] frame;
    private final double[] power;
    private final double[] mel;

    KaldiFrameComputer(KaldiFbank.Options options) {
        this.options = options;
        int length = options.frameLength();
        this.window = options.hannWindow() ? hannWindow(length) : poveyWindow(length);
        this.fft = new Fft(options.fftSize());
        this.melBanks = new KaldiMelBanks(options.bins(), options.fftSize(), options.sampleRate(), options.lowFreq(),
                options.highFreq());
        this.frame = new double[length];
        this.power = new double[options.fftSize() / 2 + 1];
        this.mel = new double[options.bins()];
    }

    /** Kaldi's "hann" window: 0.5 - 0.5 cos(2 pi i / (N - 1)). */
    static double[] hannWindow(int length) {
        double[] w = new double[length];
        double a = 2 * Math.PI / (length - 1);
        for (int i = 0; i < length; i++) w[i] = (float) (0.5 - 0.5 * Math.cos(a * i));
        return w;
    }

    /** Kaldi's "povey" window: a Hann window raised to 0.85, zero at both ends. */
    static double[] poveyWindow(int length) {
        double[] w = new double[length];
        double a = 2 * Math.PI / (length - 1);
        for (int i = 0; i < length; i++) {
            // Kaldi stores the window in single precision.
            w[i] = (float) Math.pow(0.5 - 0.5 * Math.cos(a * i), 0.85);
        }
        return w;
    }

    /** {@code samples[0 … frameLength)} is the raw frame; writes {@code bins} log energies to {@code out[offset …]}. */
    void compute(double[] samples, float[] out, int offset) {
        int length = options.frameLength();
        System.arraycopy(samples, 0, frame, 0, length);
        if (options.removeDcOffset()) {
            double sum = 0;
            for (int i = 0; i < length; i++) sum += frame[i];
            double mean = sum / length;
            for (int i = 0; i < length; i++) frame[i] -= mean;
        }
        double k = options.preemphasis();
        if (k != 0) {
            // Backwards so each sample sees its unmodified predecessor; the first sample uses itself.
            for (int i = length - 1; i > 0; i--) frame[i] -= k * frame[i - 1];
            frame[0] -= k * frame[0];
        }
        for (int i = 0; i < length; i++) frame[i] *= window[i];
        fft.powerSpectrum(frame, length, power);   // zero-padded to the FFT size
        melBanks.apply(power, mel);
        if (!options.logMel()) {
            for (int b = 0; b < mel.length; b++) out[offset + b] = (float) mel[b];
            return;
        }
        for (int b = 0; b < mel.length; b++) out[offset + b] = (float) Math.log(Math.max(mel[b], FLOAT_EPSILON));
    }
}
