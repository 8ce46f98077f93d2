package dev.pixelgrad.algorithms.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Locale;

/** Progress over a known number of steps on stderr: a bar on a terminal, else a line every tenth of them. */
final class StepProgress implements AutoCloseable {
    private final String task, unit;
    private final int total;
    private final ProgressBar bar;
    private int reported;

    /** @param unit the steps' name in the plain lines, plural ("patches") */
    StepProgress(String task, int total, String unit) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.bar = RunReporter.stderrIsTerminal()
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()
                : null;
    }

    /** {@code done} steps are done so far. */
    void stepTo(int done) {
        if (bar != null) {
            bar.stepTo(done);
        } else if (done == total || done / Math.max(1, total / 10) > reported / Math.max(1, total / 10)) {
            System.err.printf(Locale.ROOT, "%s: %d/%d %s%n", task, done, total, unit);
        }
        reported = done;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
