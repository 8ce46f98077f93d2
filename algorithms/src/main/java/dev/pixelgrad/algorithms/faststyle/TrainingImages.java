package dev.pixelgrad.algorithms.faststyle;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * The training images of a feed-forward style network, as pytorch/examples feeds them: every JPEG
 * and PNG under a folder, each scaled so its short side is {@code size} and centre-cropped to
 * size x size, in 0-255 RGB, in batches. Each epoch visits the images in a new order drawn from the
 * seed; the last batch of an epoch may be smaller (as a DataLoader without drop_last).
 *
 * <p>Images are decoded on a background thread, a couple of batches ahead of the training step.
 * An image that cannot be read is skipped, reported once through {@code onSkip} and counted. Every
 * batch says where the next one starts ({@link Position}), so a checkpoint can resume exactly there.
 */
public final class TrainingImages implements AutoCloseable {
    /** Where a batch starts: the epoch, and how many images of that epoch's order come before it. */
    public record Position(int epoch, int index) {
        public static final Position START = new Position(0, 0);
    }

    /**
     * {@code n} images of {@code size} x {@code size}, planar RGB in 0-255 (n, 3, size, size), and
     * the position of the batch after this one.
     */
    public record Batch(float[] pixels, int n, int size, Position next) {
    }

    private static final int BATCHES_AHEAD = 2;

    private final List<Path> files;
    private final int size, batch;
    private final long seed;
    private final Consumer<String> onSkip;
    private final Set<Path> skipped = Collections.synchronizedSet(new HashSet<>());
    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private final Thread decoder;
    private volatile boolean closed;

    private TrainingImages(List<Path> files, int size, int batch, long seed, Position start, Consumer<String> onSkip) {
        this.files = files;
        this.size = size;
        this.batch = batch;
        this.seed = seed;
        this.onSkip = onSkip;
        this.decoder = new Thread(() -> decodeFrom(start), "pixelgrad-training-images");
        decoder.setDaemon(true);
        decoder.start();
    }

    /**
     * Batches of the images under {@code dir}, from {@code start} on.
     *
     * @param onSkip told once per unreadable image, with its path and why
     * @throws IllegalArgumentException when the folder holds no JPEG or PNG file
     */
    public static TrainingImages open(Path dir, int size, int batch, long seed, Position start, Consumer<String> onSkip)
            throws IOException {
        if (size <= 0 || batch <= 0) {
            throw new IllegalArgumentException("training images: size and batch must be positive, got " + size + " and " + batch);
        }
        return new TrainingImages(ImageFiles.imagesUnder("--data", dir), size, batch, seed, start, onSkip);
    }

    /** How many image files there are (readable or not): one epoch's length. */
    public int imageCount() {
        return files.size();
    }

    /** How many different images were skipped as unreadable so far. */
    public int skippedCount() {
        return skipped.size();
    }

    /** The next batch, waiting for the decoder when it is not ready yet. */
    public Batch next() throws IOException {
        Object item;
        try {
            item = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("training images: interrupted while waiting for the next batch", e);
        }
        if (item instanceof Batch b) {
            return b;
        }
        if (item instanceof IOException e) {
            throw new IOException(e.getMessage(), e);
        }
        throw new IllegalStateException("training images: the decoder failed", (Throwable) item);
    }

    /** The order of epoch {@code epoch}: a shuffle drawn from the seed and the epoch alone, so a resume redraws it. */
    List<Path> order(int epoch) {
        List<Path> order = new ArrayList<>(files);
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order;
    }

    private void decodeFrom(Position start) {
        try {
            int epoch = start.epoch(), index = start.index();
            while (!closed) {
                List<Path> order = order(epoch);
                boolean delivered = false;
                while (index < order.size()) {
                    float[] pixels = new float[batch * 3 * size * size];
                    int n = 0;
                    while (n < batch && index < order.size()) {
                        RgbImage img = readOrSkip(order.get(index++));
                        if (img != null) {
                            copy255(img.shortSideCenterCrop(size), pixels, n++);
                        }
                    }
                    if (n > 0) {
                        Position next = index < order.size() ? new Position(epoch, index) : new Position(epoch + 1, 0);
                        ready.put(new Batch(n == batch ? pixels : Arrays.copyOf(pixels, n * 3 * size * size), n, size, next));
                        delivered = true;
                    }
                }
                if (!delivered && skipped.size() == files.size()) {
                    throw new IOException("training images: none of the " + files.size() + " image files can be read");
                }
                epoch++;
                index = 0;
            }
        } catch (InterruptedException e) {
            // closed while waiting for room in the queue
        } catch (IOException | RuntimeException | Error e) {
            try {
                ready.put(e);   // after the batches already decoded: the trainer sees it when it gets there
            } catch (InterruptedException closedMeanwhile) {
                // nobody is waiting any more
            }
        }
    }

    private RgbImage readOrSkip(Path file) {
        try {
            return ImageFiles.read(file);
        } catch (IOException | RuntimeException e) {
            if (skipped.add(file)) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                onSkip.accept("skipping " + (why.startsWith(file.toString()) ? why : file + ": " + why));
            }
            return null;
        }
    }

    /** Image {@code img} (RGB in [0,1]) as sample {@code n} of a planar (N, 3, S, S) batch in 0-255. */
    private static void copy255(RgbImage img, float[] pixels, int n) {
        float[] rgb = img.rgb();
        int offset = n * rgb.length;
        for (int i = 0; i < rgb.length; i++) {
            pixels[offset + i] = rgb[i] * 255f;
        }
    }

    /** Stops the decoder; batches not taken are dropped. */
    @Override
    public void close() {
        closed = true;
        decoder.interrupt();
        ready.clear();
    }
}
