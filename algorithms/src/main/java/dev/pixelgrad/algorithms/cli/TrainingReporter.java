package dev.pixelgrad.algorithms.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.pixelgrad.algorithms.faststyle.FastStyleTraining;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.LossPlot;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What {@code train-style} shows and writes while it trains: a bar with images per second and the
 * time left (plain lines when stderr is not a terminal), the JSON-lines log ({@code iter},
 * {@code loss}, {@code seconds}, {@code content}, {@code style}, {@code tv}), the loss curve, and on
 * Ctrl-C a request to stop after the current step (the command then writes its checkpoint).
 */
final class TrainingReporter implements AutoCloseable {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final long total, first;
    private final boolean quiet;
    private final PrintStream err = System.err;
    private final BufferedWriter log;
    private final List<Float> losses = new ArrayList<>();
    private final long t0 = System.nanoTime();
    /** Seconds trained before this process (in the checkpoint resumed from): the log's clock continues from there. */
    private final double secondsBefore;
    private final Thread hook;
    private ProgressBar bar;
    private long images;
    private volatile boolean stop;
    private final CountDownLatch written = new CountDownLatch(1);

    /**
     * @param first the iteration training starts from (after a resume, not 0)
     * @param total the iteration it will end at
     * @param secondsBefore the training time of the run resumed, or 0
     * @param log   one JSON line per step, appended to when resuming, or null
     */
    TrainingReporter(long first, long total, double secondsBefore, boolean quiet, Path log) throws IOException {
        this.first = first;
        this.secondsBefore = secondsBefore;
        this.total = total;
        this.quiet = quiet;
        this.log = log == null ? null : first > 0
                ? Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                : Files.newBufferedWriter(log);
        this.bar = !quiet && RunReporter.stderrIsTerminal()
                ? new ProgressBarBuilder().setTaskName("train-style").setInitialMax(total).startsFrom(first, java.time.Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" it", 1).setConsumer(new ConsoleProgressBarConsumer(err)).build()
                : null;
        this.hook = new Thread(this::onInterrupt, "pixelgrad-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    void step(FastStyleTraining.Step s) throws IOException {
        double seconds = (System.nanoTime() - t0) / 1e9;
        images += s.images();
        losses.add(s.loss());
        if (log != null) {
            JsonObject o = new JsonObject();
            o.addProperty("iter", s.iteration());
            o.addProperty("loss", s.loss());
            o.addProperty("seconds", Math.round((secondsBefore + seconds) * 1000) / 1000.0);
            for (String term : List.of("content", "style", "tv")) {
                o.addProperty(term, s.terms().getOrDefault(term, 0f));
            }
            log.write(GSON.toJson(o));
            log.newLine();
            log.flush();
        }
        String msg = String.format(Locale.ROOT, "%.1f img/s, loss %.4g", images / seconds, s.loss());
        if (bar != null) {
            bar.stepTo(s.iteration());
            bar.setExtraMessage(" " + msg);
        } else if (!quiet && ((s.iteration() - first) % Math.max(1, (total - first) / 20) == 0 || s.iteration() == total)) {
            err.printf(Locale.ROOT, "train-style: iteration %d/%d, %s%n", s.iteration(), total, msg);
        }
    }

    boolean stopRequested() {
        return stop;
    }

    /** Ctrl-C: ask the loop to stop after this step, and keep the program alive until the checkpoint and model are written. */
    private void onInterrupt() {
        stop = true;
        try {
            if (!written.await(300, TimeUnit.SECONDS)) {
                System.err.println("train-style: interrupted before the checkpoint could be written");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Prints a line under the bar (a skipped image, a checkpoint written). */
    void say(String line) {
        if (quiet) {
            return;
        }
        if (bar != null) {
            err.print("\r\033[K");   // clear the bar's line; it redraws below on the next step
        }
        err.println("train-style: " + line);
    }

    void writePlot(Path file) throws IOException {
        ImageFiles.write(LossPlot.render(losses, "train-style"), file);
    }

    /** Seconds this process has trained. */
    double seconds() {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds the run has trained, resumed parts included. */
    double totalSeconds() {
        return secondsBefore + seconds();
    }

    long images() {
        return images;
    }

    /** The last files are written: a waiting Ctrl-C may end the program now. Also done by {@link #close}. */
    @Override
    public void close() {
        written.countDown();
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C started the shutdown; the hook has set the flag already
        }
    }
}
