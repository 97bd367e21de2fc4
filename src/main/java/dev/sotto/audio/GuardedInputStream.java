package dev.sotto.audio;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What FFmpeg reads when the input is a stream. It counts bytes (to tell an empty stream
 * from a bad one) and keeps a read failure for the decoder to report: JavaCV would only
 * print it to stderr and treat it as the end of the input.
 */
final class GuardedInputStream extends FilterInputStream {
    private final boolean closeSource;
    private long bytesRead;
    private IOException failure;

    GuardedInputStream(InputStream source, boolean closeSource) {
        super(source);
        this.closeSource = closeSource;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (failure != null) {
            return -1;
        }
        try {
            int n = super.read(b, off, len);
            if (n > 0) {
                bytesRead += n;
            }
            return n;
        } catch (IOException e) {
            failure = e;
            return -1;
        }
    }

    @Override
    public boolean markSupported() {
        return false; // JavaCV then adds its own buffer; we never seek back
    }

    long bytesRead() {
        return bytesRead;
    }

    IOException failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        if (closeSource) {
            super.close();
        }
    }
}
