package dev.pixelgrad.algorithms.cli.live;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Tensor;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Turns the image being optimised, and its gradient, into PNGs for the page, off the compute
 * thread. The compute thread only downloads x and x.grad (it must: the next step overwrites them)
 * and hands them to one background thread; while that thread is still encoding, new frames are
 * skipped, so the newest frame wins and a slow encoder never queues work. The gradient picture is
 * made only when a page asks for it, in the form it shows (signed or magnitude).
 *
 * <p>The encoder shares the run's cores, so it is kept idle most of the time: a frame at most
 * every {@link #MIN_INTERVAL_NANOS} (2 a second, enough to watch an image change), and after any
 * work that took t, no new frame for {@link #IDLE_FACTOR} t. The encoder is then busy at most
 * 1/(1 + IDLE_FACTOR) = 2.5 % of one core, whatever the image size (after the first frame, whose
 * time is mostly the JDK loading its image classes).
 */
final class FrameEncoder implements AutoCloseable {
    static final long MIN_INTERVAL_NANOS = 500_000_000L;
    static final int IDLE_FACTOR = 39;

    /** The gradient pictures a page may ask for. */
    enum GradientView { SIGNED, MAGNITUDE }

    /**
     * One frame: the image after iteration {@code iter} (encoded), and the gradient backward
     * computed for it, (1, 3, H, W) in network space, pictured on request.
     */
    record Frame(int version, int iter, byte[] image, float[] gradient, int height, int width,
                 Map<GradientView, byte[]> pictures) {
    }

    private final Preprocessing pre;
    private final UnaryOperator<RgbImage> finish;
    private final Consumer<Frame> publish;
    private final ExecutorService encoder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pixelgrad-live-encoder");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile long notBefore;   // System.nanoTime() before which no frame is taken
    private int version;               // touched only by the encoder thread

    /**
     * @param finish  what turns the RGB result into the image written (keep colours), applied here too
     * @param publish where finished frames go (called on the encoder thread)
     */
    FrameEncoder(Preprocessing pre, UnaryOperator<RgbImage> finish, Consumer<Frame> publish) {
        this.pre = pre;
        this.finish = finish;
        this.publish = publish;
    }

    /** Takes a frame of x (network space) unless it is too soon or the encoder is busy; returns whether it did. */
    boolean offer(int iter, Tensor x) {
        return offer(iter, x, false);
    }

    /** @param last the run's last frame, taken however soon after the one before */
    private boolean offer(int iter, Tensor x, boolean last) {
        if ((!last && System.nanoTime() < notBefore) || !busy.compareAndSet(false, true)) {
            return false;
        }
        try {
            RgbImage image = ImageTensors.toImage(x, pre);
            Tensor g = x.grad();
            float[] grad = g == null ? null : g.toArray();
            encoder.execute(() -> {
                try {
                    timed(() -> {
                        byte[] png = png(finish.apply(image));
                        publish.accept(new Frame(++version, iter, png, grad, image.height(), image.width(),
                                new ConcurrentHashMap<>()));
                        return null;
                    }, version == 0);
                } finally {
                    busy.set(false);
                }
            });
            return true;
        } catch (RuntimeException e) {
            busy.set(false);
            throw e;
        }
    }

    /** Takes an RGB image as a frame with no gradient (train-style's sample), unless the encoder is busy. */
    boolean offer(int iter, RgbImage image) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        encoder.execute(() -> {
            try {
                timed(() -> {
                    publish.accept(new Frame(++version, iter, png(image), null, image.height(), image.width(), new ConcurrentHashMap<>()));
                    return null;
                }, version == 0);
            } finally {
                busy.set(false);
            }
        });
        return true;
    }

    /** The frame's gradient as a PNG (null when it has none), made once, on the encoder thread while the run goes on. */
    byte[] gradient(Frame f, GradientView view) {
        if (f.gradient() == null) {
            return null;
        }
        return f.pictures().computeIfAbsent(view, v -> {
            Supplier<byte[]> make = () -> png(v == GradientView.SIGNED
                    ? GradientPictures.signed(f.gradient(), f.height(), f.width(), pre)
                    : GradientPictures.magnitude(f.gradient(), f.height(), f.width()));
            try {
                return encoder.submit(() -> timed(make, false)).get(10, TimeUnit.SECONDS);
            } catch (RejectedExecutionException runOver) {
                return make.get();   // the run has ended: no cost to keep down
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("live: interrupted while encoding the gradient", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("live: cannot encode the gradient (" + e + ")", e);
            }
        });
    }

    /** Runs encoder work and keeps the next frame back by IDLE_FACTOR times its duration (not for the JDK's warm-up). */
    private <T> T timed(Supplier<T> work, boolean warmUp) {
        long t0 = System.nanoTime();
        T result = work.get();
        long t1 = System.nanoTime();
        long idle = Math.max(warmUp ? 0 : IDLE_FACTOR * (t1 - t0), MIN_INTERVAL_NANOS - (t1 - t0));
        notBefore = Math.max(notBefore, t1 + idle);
        return result;
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

    /**
     * A PNG with the fastest deflate level: several times faster to write than ImageIO's default and
     * only a few per cent larger, the right trade for a frame that lives half a second.
     */
    static byte[] png(RgbImage img) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try {
            ImageWriteParam fast = writer.getDefaultWriteParam();
            fast.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            fast.setCompressionQuality(1f);   // for PNG, 1 is the fastest deflate level (the level falls as quality rises)
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(ImageFiles.toBufferedImage(img), null, null), fast);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    @Override
    public void close() {
        encoder.shutdownNow();
    }
}
