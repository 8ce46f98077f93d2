package dev.pixelgrad.bench;

/**
 * One row of the table: a benchmark method at one shape on one backend.
 *
 * @param benchmark class and method, e.g. Conv3x3Benchmark.forward
 * @param shape     the benchmark's shape parameter, e.g. 64@224
 * @param backend   the backend spec it ran on, e.g. java
 * @param msPerOp   average time of one call
 * @param gflops    the benchmark's explicit FLOP count divided by that time
 */
record BenchRow(String benchmark, String shape, String backend, double msPerOp, double gflops) {

    /** Rows of two runs are compared when their keys agree. */
    String key() {
        return benchmark + " " + shape + " " + backend;
    }
}
