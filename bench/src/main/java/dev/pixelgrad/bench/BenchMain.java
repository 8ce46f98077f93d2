package dev.pixelgrad.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.annotations.Mode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Runs the benchmarks through JMH on every backend that opens here and prints one table of
 * GFLOP/s, computed from each benchmark's explicit FLOP count.
 * <pre>
 *   mvn -q -pl bench -am verify -DskipTests -Dbench=quick    (one fork, short iterations: minutes)
 *   mvn -q -pl bench -am verify -DskipTests -Dbench=full     (two forks, longer iterations)
 *   ... -Dbench.include=Conv3x3                               (only benchmarks matching a regex)
 * </pre>
 */
public final class BenchMain {

    /** A benchmark class and the FLOP count of one call at a given shape parameter. */
    record Suite(Class<?> type, ToDoubleFunction<String> flopsOfShape) {
    }

    /** Every benchmark class. A whole Gatys style-transfer step (GatysStepBenchmark) belongs here too. */
    static final List<Suite> SUITES = List.of(
            new Suite(Conv3x3Benchmark.class, Conv3x3Benchmark::flops),
            new Suite(GramBenchmark.class, GramBenchmark::flops),
            new Suite(GatysStepBenchmark.class, GatysStepBenchmark::flops));

    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        String mode = args.length > 0 ? args[0].toLowerCase(Locale.ROOT) : "quick";
        Pattern include = Pattern.compile(args.length > 1 ? args[1] : ".*");
        if (!mode.equals("quick") && !mode.equals("full")) {
            System.err.println("bench: unknown mode '" + mode + "'; expected quick or full (-Dbench=quick)");
            return;
        }
        List<String> available = new ArrayList<>(), unavailable = new ArrayList<>();
        List<String> specs = args.length > 2 ? List.of(args[2].split(",")) : BenchBackends.SPECS;
        for (String spec : specs) {
            try {
                available.add(spec);
                System.err.println("bench: " + spec + " = " + BenchBackends.open(spec).name());
            } catch (RuntimeException | LinkageError e) {
                available.remove(spec);
                unavailable.add(spec);
                System.err.println("bench: " + e.getMessage() + " (its rows are skipped)");
            }
        }
        boolean quick = mode.equals("quick");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.MILLISECONDS)
                .forks(quick ? 1 : 2)
                .warmupIterations(quick ? 3 : 5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 10)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "-Xmx8g")
                .param("backend", available.toArray(String[]::new))
                .verbosity(VerboseMode.SILENT);
        int selected = 0;
        for (Suite s : SUITES) {
            if (include.matcher(s.type().getSimpleName()).find()) {
                options.include(Pattern.quote(s.type().getName()) + "\\.");
                selected++;
            }
        }
        if (selected == 0 || available.isEmpty()) {
            System.err.println("bench: nothing to run (include '" + include + "', backends " + available + ")");
            return;
        }
        System.err.println("bench: running " + mode + " mode on " + available + "; JMH output is silenced, the table follows");
        Collection<RunResult> results = new Runner(options.build()).run();
        printTable(results, unavailable);
    }

    private static void printTable(Collection<RunResult> results, List<String> unavailable) {
        System.out.printf("%-30s %-9s %-8s %10s %10s%n", "benchmark", "shape", "backend", "ms/op", "GFLOP/s");
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.', p.getBenchmark().lastIndexOf('.') - 1) + 1);
            String shape = p.getParam("shape");
            double ms = r.getPrimaryResult().getScore();
            double flops = suiteOf(p.getBenchmark()).flopsOfShape().applyAsDouble(shape);
            System.out.printf(Locale.ROOT, "%-30s %-9s %-8s %10.3f %10.1f%n", name, shape, p.getParam("backend"), ms, flops / (ms * 1e-3) / 1e9);
        }
        for (String spec : unavailable) {
            System.out.printf("%-30s %-9s %-8s %10s %10s%n", "(all)", "-", spec, "-", "unavailable");
        }
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
