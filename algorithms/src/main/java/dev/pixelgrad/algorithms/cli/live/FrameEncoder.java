package dev.pixelgrad.algorithms.cli.live;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Tensor;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Turns the image being optimised, and its gradient, into PNGs for the page, off the compute
 * thread. The compute thread only downloads x and x.grad (it must: the next step overwrites them)
 * and hands them to one background thread; while that thread is still encoding, new frames are
 * skipped, so the newest frame wins and a slow encoder never queues work.
 *
 * <p>The encoder also shares the run's cores, so it is kept idle most of the time: a frame at
 * most every {@link #MIN_INTERVAL_NANOS} (4 a second, plenty to watch), and after a frame that
 * took t to encode, none for {@link #IDLE_FACTOR} t. The encoder is then busy at most
 * 1/(1 + IDLE_FACTOR) of one core, whatever the image size.
 */
final class FrameEncoder implements AutoCloseable {
    /** One encoded frame: the image after iteration {@code iter}, and the gradient backward computed for it. */
    record Frame(int version, int iter, byte[] image, byte[] gradientSigned, byte[] gradientMagnitude) {
    }

    private final Preprocessing pre;
    private final UnaryOperator<RgbImage> finish;
    private final Consumer<Frame> publish;
    private final ExecutorService encoder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pixelgrad-live-encoder");
        t.setDaemon(true);
        return t;
    });
    static final long MIN_INTERVAL_NANOS = 250_000_000L;
    static final int IDLE_FACTOR = 19;

    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile long notBefore;   // System.nanoTime() before which no frame is taken
    private int version;   // touched only by the encoder thread

    /**
     * @param finish  what turns the RGB result into the image written (keep colours), applied here too
     * @param publish where finished frames go (called on the encoder thread)
     */
    FrameEncoder(Preprocessing pre, UnaryOperator<RgbImage> finish, Consumer<Frame> publish) {
        this.pre = pre;
        this.finish = finish;
        this.publish = publish;
    }

    /** Takes a frame of x (network space) unless the previous one is still being encoded; returns whether it did. */
    boolean offer(int iter, Tensor x) {
        return offer(iter, x, false);
    }

    /** @param last the run's last frame, taken however soon after the one before */
    private boolean offer(int iter, Tensor x, boolean last) {
        if ((!last && System.nanoTime() < notBefore) || !busy.compareAndSet(false, true)) {
            return false;
        }
        RgbImage image = ImageTensors.toImage(x, pre);
        Tensor g = x.grad();
        float[] grad = g == null ? null : g.toArray();
        encoder.execute(() -> {
            try {
                encode(iter, image, grad);
            } finally {
                busy.set(false);
            }
        });
        return true;
    }

    /** The run's last frame: waits (a few seconds at most) for the one being encoded, then encodes x and stops. */
    void last(int iter, Tensor x) {
        try {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (busy.get() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            offer(iter, x, true);
            encoder.shutdown();
            encoder.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void encode(int iter, RgbImage image, float[] grad) {
        long t0 = System.nanoTime();
        byte[] signed = null, magnitude = null;
        if (grad != null) {
            signed = png(GradientPictures.signed(grad, image.height(), image.width(), pre));
            magnitude = png(GradientPictures.magnitude(grad, image.height(), image.width()));
        }
        Frame f = new Frame(++version, iter, png(finish.apply(image)), signed, magnitude);
        long t1 = System.nanoTime();
        notBefore = t1 + Math.max(MIN_INTERVAL_NANOS - (t1 - t0), IDLE_FACTOR * (t1 - t0));
        publish.accept(f);
    }

    static byte[] png(RgbImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(ImageFiles.toBufferedImage(img), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        encoder.shutdownNow();
    }
}
