package dev.pixelgrad.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/** Splits index ranges over the common fork-join pool, so every core takes a share. */
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

    /** Runs body over [0, n) in contiguous chunks; workPerItem sizes the chunks. */
    static void forRange(int n, long workPerItem, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int threads = threads();
        if (threads == 1 || n == 1 || n * Math.max(1, workPerItem) < MIN_WORK) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(n, threads * 4);
        ForkJoinPool.commonPool().invoke(new Chunk(body, n, chunks, 0, chunks));
    }

    private static final class Chunk extends RecursiveAction {
        private final RangeBody body;
        private final int n, chunks, lo, hi;

        Chunk(RangeBody body, int n, int chunks, int lo, int hi) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                int from = (int) ((long) n * lo / chunks), to = (int) ((long) n * hi / chunks);
                if (from < to) {
                    body.run(from, to);
                }
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Chunk(body, n, chunks, lo, mid), new Chunk(body, n, chunks, mid, hi));
        }
    }
}
