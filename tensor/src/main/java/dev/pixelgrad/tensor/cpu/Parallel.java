package dev.pixelgrad.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * Splits work over the common fork-join pool, so every core takes a share. The calling thread
 * runs the first part itself: with a pool of one worker on a two-core machine, a caller that only
 * waited would leave a core idle.
 */
final class Parallel {
    /** Below this much work (in elementary operations) a loop stays on the calling thread. */
    static final long MIN_WORK = 1 << 15;

    interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {
    }

    static int threads() {
        return ForkJoinPool.getCommonPoolParallelism() + 1;
    }

    /** Runs body over [0, n) in contiguous chunks, one per thread; workPerItem sizes the chunks. */
    static void forRange(int n, long workPerItem, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int threads = threads();
        if (threads == 1 || n == 1 || n * Math.max(1, workPerItem) < MIN_WORK) {
            body.run(0, n);
            return;
        }
        int parts = Math.min(n, threads);
        forTasks(parts, t -> {
            int from = (int) ((long) n * t / parts), to = (int) ((long) n * (t + 1) / parts);
            if (from < to) {
                body.run(from, to);
            }
        });
    }

    /** Runs task(0), ..., task(count - 1) at the same time, task(0) on the calling thread. */
    static void forTasks(int count, IntConsumer task) {
        if (count <= 1 || threads() == 1) {
            for (int t = 0; t < count; t++) {
                task.accept(t);
            }
            return;
        }
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[count - 1];
        for (int t = 1; t < count; t++) {
            int id = t;
            forked[t - 1] = ForkJoinPool.commonPool().submit(() -> task.accept(id));
        }
        task.accept(0);
        // Take back what no worker has started (a pool may have no free worker, or none at all),
        // newest first as the queue hands them back, then wait for the rest.
        for (int t = forked.length - 1; t >= 0; t--) {
            if (forked[t].tryUnfork()) {
                forked[t].invoke();
            }
        }
        for (ForkJoinTask<?> f : forked) {
            f.join();
        }
    }
}
