package dev.pixelgrad.tensor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

/**
 * What a file reader promises whatever bytes it is handed; the fuzz tests of the weight and image
 * readers check it on every input:
 * <ul>
 *   <li>it returns, or fails with its own clear error (an exception {@code clearError} accepts
 *       for the file, whose message fits on a screen), never with anything else (no NullPointerException,
 *       no OutOfMemoryError, no StackOverflowError);
 *   <li>it finishes within {@link #TIME_LIMIT_NANOS} (one second);
 *   <li>it allocates at most {@code heapPerInputByte * input.length + HEAP_SLACK} bytes of heap,
 *       so a header that claims 4 GB is checked against the file's length before anything is
 *       allocated.
 * </ul>
 * The bytes go to a fresh file per input because the readers take paths (and map them).
 */
public final class ReaderContract {
    /** One second: a reader that needs longer for a small file is looping on something it read. */
    public static final long TIME_LIMIT_NANOS = 1_000_000_000L;
    /** Heap every read may use regardless of size: parser state, class initialisation, messages. */
    public static final long HEAP_SLACK = 4L << 20;
    /** The longest error message a person is expected to read. */
    public static final int MAX_MESSAGE = 2000;

    /** Reads one file, as the reader under test does. */
    public interface Reader {
        void read(Path file) throws Exception;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Path dir;
    private final String suffix;
    private final long heapPerInputByte;
    private final Reader reader;
    private final BiPredicate<Path, Throwable> clearError;

    /**
     * @param suffix           file name ending the reader may look at, e.g. ".caffemodel"
     * @param heapPerInputByte how many heap bytes one input byte may justify (decoding widens
     *                         elements to float32, parsers build objects per token)
     * @param clearError       the reader's own errors about the file, which may escape
     */
    public ReaderContract(String suffix, long heapPerInputByte, Reader reader, BiPredicate<Path, Throwable> clearError) {
        try {
            this.dir = Files.createTempDirectory("pixelgrad-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dir.toFile().deleteOnExit();
        this.suffix = suffix;
        this.heapPerInputByte = heapPerInputByte;
        this.reader = reader;
        this.clearError = clearError;
    }

    /** Writes {@code input} to a file, reads it, and fails (AssertionError) if a promise is broken. */
    public void check(byte[] input) {
        Run run = run(input);
        if (run.nanos > TIME_LIMIT_NANOS || run.heap > allowedHeap(input)) {
            // Once more before blaming the reader: the first read of a kind of input also loads
            // (and, under Jazzer, instruments) classes, which costs time and heap only once.
            run = run(input);
        }
        String what = input.length + "-byte input";
        if (run.failure != null && !clearError.test(run.file, run.failure)) {
            throw new AssertionError(what + ": unclear error " + run.failure, run.failure);
        }
        String message = run.failure == null ? "" : String.valueOf(run.failure.getMessage());
        if (message.length() > MAX_MESSAGE + run.file.toString().length()) {
            throw new AssertionError(what + ": error message of " + message.length() + " characters: "
                    + message.substring(0, 300) + "...", run.failure);
        }
        if (run.nanos > TIME_LIMIT_NANOS) {
            throw new AssertionError(what + ": reading took " + run.nanos / 1_000_000 + " ms (limit "
                    + TIME_LIMIT_NANOS / 1_000_000 + " ms)", run.failure);
        }
        if (run.heap > allowedHeap(input)) {
            throw new AssertionError(what + ": reading allocated " + run.heap + " bytes of heap, more than the "
                    + allowedHeap(input) + " its size justifies", run.failure);
        }
    }

    private long allowedHeap(byte[] input) {
        return heapPerInputByte * input.length + HEAP_SLACK;
    }

    private record Run(Path file, Throwable failure, long nanos, long heap) {
    }

    private Run run(byte[] input) {
        Path file;
        try {
            file = Files.createTempFile(dir, "input", suffix);
            Files.write(file, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long heap0 = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        Throwable failure = null;
        try {
            reader.read(file);
        } catch (Throwable t) {
            failure = t;
        }
        long nanos = System.nanoTime() - t0;
        long heap = THREADS.getCurrentThreadAllocatedBytes() - heap0;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Run(file, failure, nanos, heap);
    }

    /**
     * The seed inputs of a fuzz test method: the files in its Jazzer inputs directory
     * ({@code <TestClass>Inputs/<method>/} beside the class) not named {@code crash-*}.
     */
    public static List<Path> seeds(Class<?> testClass, String method) {
        String dir = testClass.getSimpleName() + "Inputs/" + method;
        try {
            var url = testClass.getResource(dir);
            if (url == null) {
                throw new AssertionError("no inputs directory " + dir + " beside " + testClass.getName());
            }
            try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
                List<Path> seeds = s.filter(p -> !p.getFileName().toString().startsWith("crash-")).sorted().toList();
                if (seeds.isEmpty()) {
                    throw new AssertionError("no seeds in " + dir + "; see " + testClass.getSimpleName() + " on how to write them");
                }
                return seeds;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
