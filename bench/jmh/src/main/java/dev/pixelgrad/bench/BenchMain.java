package dev.pixelgrad.bench;

import dev.pixelgrad.tensor.Backend;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Runs the benchmarks through JMH on every backend that opens here and prints one table of
 * GFLOP/s, computed from each benchmark's explicit FLOP count, below the machine it ran on.
 * Started by {@code mvn -pl bench} from the repository root, which passes the options as
 * {@code -Dbench.*} system properties ({@link BenchOptions}):
 * <pre>
 *   mvn -pl bench                                  quick: one fork, 3 x 1 s iterations
 *   mvn -pl bench -Dbench=full                     two forks, 10 x 2 s iterations
 *   mvn -pl bench -Dbench.include=Gram -Dbench.backends=java -Dbench.json=gram.json
 *   mvn -pl bench -Dbench.compare=gram.json        speed-up of every row against an earlier run
 *   mvn -pl bench -Dbench.baseline=gram.json -Dbench.tolerance=0.10
 *                                                  exits with 1 when a row takes over 10 % longer
 * </pre>
 * Exit status: 0, 1 when the baseline guard finds a slower row, 2 for bad options or files.
 */
public final class BenchMain {

    /** A benchmark class and the FLOP count of one call at a given shape parameter. */
    record Suite(Class<?> type, ToDoubleFunction<String> flopsOfShape) {
    }

    /** Every benchmark class. */
    static final List<Suite> SUITES = List.of(
            new Suite(Conv3x3Benchmark.class, Conv3x3Benchmark::flops),
            new Suite(GramBenchmark.class, GramBenchmark::flops),
            new Suite(GatysStepBenchmark.class, GatysStepBenchmark::flops),
            new Suite(FastStyleTrainBenchmark.class, FastStyleTrainBenchmark::flops),
            new Suite(StylizeBenchmark.class, StylizeBenchmark::flops),
            new Suite(TransformerNetConvBenchmark.class, TransformerNetConvBenchmark::flops));

    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        BenchOptions options;
        BenchReport compare, baseline;
        try {
            options = BenchOptions.parse(System::getProperty);
            // Read the earlier runs first: a mistyped file name should not cost minutes of benchmarks.
            compare = options.compare() == null ? null : BenchReport.read(options.compare());
            baseline = options.baseline() == null ? null : BenchReport.read(options.baseline());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        List<String> available = new ArrayList<>(), unavailable = new ArrayList<>();
        Backend opencl = null;
        for (String spec : options.backends()) {
            try {
                Backend backend = BenchBackends.open(spec);
                System.err.println("bench: " + spec + " = " + backend.name());
                available.add(spec);
                if (opencl == null && spec.startsWith("opencl")) {
                    opencl = backend;
                }
            } catch (RuntimeException | LinkageError e) {
                unavailable.add(spec);
                System.err.println("bench: " + e.getMessage() + " (its rows are skipped)");
            }
        }
        List<Suite> selected = SUITES.stream().filter(s -> options.include().matcher(s.type().getSimpleName()).find()).toList();
        String mode = options.mode().name().toLowerCase(Locale.ROOT);
        if (selected.isEmpty() || available.isEmpty()) {
            System.err.println("bench: nothing to run in " + mode + " mode (-Dbench.include=" + options.include() + " selects "
                    + selected.stream().map(s -> s.type().getSimpleName()).toList() + " of " + SUITES.size()
                    + " benchmark classes; backends that opened: " + available + ")");
            System.exit(2);
        }
        System.err.println("bench: running " + mode + " mode on " + available + "; JMH output is silenced, the table follows");
        List<BenchRow> rows = run(jmhOptions(options.mode(), selected, available));
        BenchReport report = new BenchReport(mode, BenchEnvironment.detect(opencl), unavailable, rows);
        report.print(System.out);
        if (options.json() != null) {
            report.write(options.json());
            System.err.println("bench: wrote " + rows.size() + " rows to " + options.json().toAbsolutePath());
        }
        if (compare != null) {
            BenchComparison.of(compare.rows(), rows).printSpeedUps(System.out, options.compare().toString());
        }
        if (baseline != null
                && BenchComparison.of(baseline.rows(), rows).guard(System.out, options.baseline().toString(), options.tolerance()) > 0) {
            System.exit(1);
        }
    }

    private static ChainedOptionsBuilder jmhOptions(BenchOptions.Mode mode, List<Suite> selected, List<String> backends) {
        boolean quick = mode == BenchOptions.Mode.QUICK;
        ChainedOptionsBuilder options = new OptionsBuilder()
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.MILLISECONDS)
                .forks(quick ? 1 : 2)
                .warmupIterations(quick ? 3 : 5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 10)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "-Xmx8g")
                .param("backend", backends.toArray(String[]::new))
                .verbosity(VerboseMode.SILENT);
        for (Suite s : selected) {
            options.include(Pattern.quote(s.type().getName()) + "\\.");
        }
        return options;
    }

    /** Runs JMH and turns each result into a row, GFLOP/s from the suite's FLOP count. */
    private static List<BenchRow> run(ChainedOptionsBuilder options) throws RunnerException {
        Collection<RunResult> results = new Runner(options.build()).run();
        List<BenchRow> rows = new ArrayList<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String benchmark = p.getBenchmark();
            String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            String shape = p.getParam("shape");
            double ms = r.getPrimaryResult().getScore();
            double flops = suiteOf(benchmark).flopsOfShape().applyAsDouble(shape);
            rows.add(new BenchRow(name, shape, p.getParam("backend"), ms, flops / (ms * 1e-3) / 1e9));
        }
        return rows;
    }

    private static Suite suiteOf(String benchmark) {
        for (Suite s : SUITES) {
            if (benchmark.startsWith(s.type().getName() + ".")) {
                return s;
            }
        }
        throw new IllegalStateException("bench: no FLOP count for " + benchmark + "; add its class to BenchMain.SUITES");
    }
}
