package dev.sotto.features;

/**
 * A front end that keeps its computed frames in a {@link FrameBuffer}: everything about
 * handing frames out and forgetting them is the same for every front end, only computing
 * them differs.
 */
abstract class BufferedFrontEnd implements FrontEnd {
    protected final FrameBuffer frames;

    BufferedFrontEnd(int dim) {
        this.frames = new FrameBuffer(dim);
    }

    @Override
    public int dim() {
        return frames.dim();
    }

    @Override
    public int framesReady() {
        return frames.size();
    }

    @Override
    public void copyFrames(int start, int n, float[] dest, int destOffset) {
        frames.copy(start, n, dest, destOffset);
    }

    @Override
    public void discardBefore(int frame) {
        frames.discardBefore(frame);
    }
}
