package dev.pixelgrad.algorithms.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.pixelgrad.algorithms.Changes;
import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.Monitor;
import dev.pixelgrad.algorithms.cli.live.LiveRun;
import dev.pixelgrad.algorithms.cli.live.LiveView;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.LossPlot;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Tensor;
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
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * What a run shows and writes while it optimises: a progress bar (or plain lines when stderr is
 * not a terminal), the JSON-lines log, checkpoint images, the loss curve, and on Ctrl-C the current
 * image before the program exits.
 *
 * <p>The bar redraws one line in place with {@code \r} (no cursor movement), and is closed exactly
 * once, before the closing {@code TASK: done ...} line, so that line is the last thing on screen.
 */
final class RunReporter implements Monitor, AutoCloseable {
    /**
     * Where a run writes and how much it says.
     *
     * @param out       the result image (its extension picks the format)
     * @param saveEvery also write OUT-iterN.EXT every N iterations (0: never)
     * @param quiet     no progress output
     * @param log       one JSON line per iteration, or null
     * @param plot      also write the loss curve as OUT-loss.png
     */
    record Outputs(Path out, int saveEvery, boolean quiet, Path log, boolean plot) {
    }

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    /**
     * Set by the {@code pixelgrad} launcher to whether its stderr is a terminal: the launcher passes
     * stderr through a filter (a pipe), so the JVM cannot see that for itself.
     */
    static final String STDERR_TERMINAL = "pixelgrad.stderr.terminal";

    private final String task;
    private final Outputs outputs;
    private final Preprocessing pre;
    private final UnaryOperator<RgbImage> finish;
    private final int total;
    private final PrintStream err = System.err;
    private final List<Float> losses = new ArrayList<>();
    private final long t0 = System.nanoTime();
    private final BufferedWriter log;
    private ProgressBar bar;
    private final Thread hook;
    private final CountDownLatch written = new CountDownLatch(1);
    private volatile boolean stop;
    private int lastIter = -1;
    private String stoppedEarly;   // why the optimiser ended before `total`, or null
    private final LiveView live;

    /**
     * @param total  iterations expected (for the bar)
     * @param finish what turns the network-space result into the image to write (e.g. keep colours)
     */
    RunReporter(String task, Outputs outputs, Preprocessing pre, int total, UnaryOperator<RgbImage> finish) {
        this(task, outputs, pre, total, finish, null);
    }

    /** @param live the live page's server, or null; the reporter closes it */
    RunReporter(String task, Outputs outputs, Preprocessing pre, int total, UnaryOperator<RgbImage> finish, LiveView live) {
        this(task, outputs, pre, total, finish, stderrIsTerminal(), live);
    }

    /** @param terminal whether stderr shows on a terminal (a bar) or not (a line every tenth of the run) */
    RunReporter(String task, Outputs outputs, Preprocessing pre, int total, UnaryOperator<RgbImage> finish,
                boolean terminal, LiveView live) {
        this.task = task;
        this.live = live;
        this.outputs = outputs;
        this.pre = pre;
        this.total = total;
        this.finish = finish;
        try {
            this.log = outputs.log() == null ? null : Files.newBufferedWriter(outputs.log());
        } catch (IOException e) {
            throw new UncheckedIOException(outputs.log() + ": cannot open the log for writing (" + e.getMessage() + ")", e);
        }
        // The plain consumer redraws with \r only; the library's default on a capable terminal moves
        // the cursor up a line per redraw, which lands on whatever was printed below the bar.
        this.bar = !outputs.quiet() && terminal
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT))).setUnit(" it", 1).setConsumer(new ConsoleProgressBarConsumer(err)).build()
                : null;
        this.hook = new Thread(this::onInterrupt, "pixelgrad-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void iteration(int iter, float loss, Map<String, Float> terms, Tensor x) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        losses.add(loss);
        lastIter = iter;
        if (log != null) {
            JsonObject o = new JsonObject();
            o.addProperty("iter", iter);
            o.addProperty("loss", loss);
            o.addProperty("seconds", Math.round(seconds * 1000) / 1000.0);
            terms.forEach(o::addProperty);
            writeLog(o);
        }
        String msg = String.format(Locale.ROOT, "loss %.4g", loss);
        if (bar != null) {
            bar.stepTo(iter);
            bar.setExtraMessage(" " + msg);   // the bar writes it right after the rate ("1.5 it/s")
        } else if (!outputs.quiet() && (iter % Math.max(1, total / 10) == 0 || iter == total)) {
            err.printf(Locale.ROOT, "%s: iteration %d/%d, %s, %.2f it/s%n", task, iter, total, msg,
                    iter == 0 ? 0.0 : iter / seconds);
        }
        if (outputs.saveEvery() > 0 && iter > 0 && iter % outputs.saveEvery() == 0) {
            write(x, checkpointPath(iter));
        }
        if (live != null) {
            live.iteration(iter, loss, terms, x, seconds);
        }
    }

    @Override
    public void stoppedEarly(int iter, String reason) {
        stoppedEarly = reason;
        JsonObject o = new JsonObject();
        o.addProperty("iter", iter);
        o.addProperty("stopped", reason);
        writeLog(o);
    }

    /** Ctrl-C, or the live page's stop; waits here while the page has the run paused. */
    @Override
    public boolean stopRequested() {
        if (live != null && live.stopRequested()) {
            stop = true;
        }
        return stop;
    }

    /** The settings the live page changed, logged with the iteration they take effect at. */
    @Override
    public Changes changes(int iter) {
        Changes c = live == null ? null : live.changes(iter);
        if (c != null) {
            JsonObject o = new JsonObject();
            o.addProperty("iter", iter);
            o.add("changed", LiveRun.changedJson(c));
            writeLog(o);
        }
        return c;
    }

    private void writeLog(JsonObject line) {
        if (log == null) {
            return;
        }
        try {
            log.write(GSON.toJson(line));
            log.newLine();
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(outputs.log() + ": cannot write the log", e);
        }
    }

    Path checkpointPath(int iter) {
        return OutputPaths.checkpoint(outputs.out(), iter);
    }

    Path plotPath() {
        return OutputPaths.plot(outputs.out());
    }

    /** Writes the result (and the plot), then lets a waiting Ctrl-C handler go. */
    void finish(Tensor x) {
        try {
            write(x, outputs.out());
            if (outputs.plot()) {
                try {
                    ImageFiles.write(LossPlot.render(losses, task), plotPath());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (!outputs.quiet()) {
                closeBar();
                double s = (System.nanoTime() - t0) / 1e9;
                int done = Math.max(0, lastIter);
                if (stoppedEarly != null && !stop) {
                    err.printf(Locale.ROOT, "%s: stopped after %d of %d iterations (%.1f s): %s; wrote %s%n", task,
                            done, total, s, stoppedEarly, outputs.out().toAbsolutePath());
                } else {
                    err.printf(Locale.ROOT, "%s: %s after %d iteration%s (%.1f s): %s%n", task, stop ? "stopped" : "done",
                            done, done == 1 ? "" : "s", s, outputs.out().toAbsolutePath());
                }
            }
            if (live != null) {
                live.finished(Math.max(0, lastIter), x, (stop ? "stopped" : "done") + ", wrote " + outputs.out().getFileName());
            }
        } finally {
            written.countDown();
        }
    }

    private void write(Tensor x, Path path) {
        try {
            ImageFiles.write(finish.apply(ImageTensors.toImage(x, pre)), path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ctrl-C: ask the loop to stop after this iteration, and wait for the image to be written. */
    private void onInterrupt() {
        stop = true;
        if (live != null) {
            live.run().act("stop");   // wakes a paused loop
        }
        try {
            if (!written.await(60, TimeUnit.SECONDS)) {
                System.err.println(task + ": interrupted before the current image could be written");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether stderr is a terminal: as the launcher says, else whether the JVM has a console. */
    static boolean stderrIsTerminal() {
        String said = System.getProperty(STDERR_TERMINAL);
        return said != null ? Boolean.parseBoolean(said) : System.console() != null;
    }

    /** Draws the bar a last time and ends its line; once, as each close draws it again where the cursor is. */
    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void close() {
        closeBar();
        if (live != null) {
            live.close();
        }
        if (log != null) {
            try {
                log.close();
            } catch (IOException ignored) {
                // the log lines were flushed as they were written
            }
        }
        written.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C already started the shutdown; the hook is running and will return now
        }
    }
}
