package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.weights.KnownWeights;
import dev.pixelgrad.weights.VggWeights;
import dev.pixelgrad.weights.WeightCache;
import dev.pixelgrad.weights.WeightFetcher;
import dev.pixelgrad.weights.WeightImport;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code pixelgrad weights fetch|import|list}: the download cache. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Fetch published VGG weights into the cache, import a copied file, and list them. "
                + "The cache is in $PIXELGRAD_HOME, else in $XDG_CACHE_HOME/pixelgrad, else in ~/.cache/pixelgrad.",
        subcommands = {WeightsCommand.Fetch.class, WeightsCommand.Import.class, WeightsCommand.ListCached.class})
final class WeightsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download, verify (sha256 prefix in the published name), and convert into the cache. "
                    + "Base URL overridable with $" + KnownWeights.MIRROR_ENV + ": an http or https URL, or a folder as file:///DIR.")
    static final class Fetch implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL", description = "vgg19 or vgg16")
        String model;

        @Option(names = "--source", defaultValue = "torchvision", paramLabel = "SOURCE",
                description = "torchvision (download.pytorch.org) or caffe (the Caffe ports, BGR/[0,255] preprocessing) (default: ${DEFAULT-VALUE}).")
        String source;

        @Override
        public Integer call() {
            return fetch(model, source);
        }

        /** Downloads one published file into the cache and prints its path; 0, or 1 after saying why on stderr. */
        static int fetch(String model, String source) {
            return CliErrors.guard("weights fetch", () -> {
                KnownWeights.Published p = KnownWeights.find(VggSpec.Arch.parse(model), source);
                Path out = WeightFetcher.fetch(p, VggWeights.home(), KnownWeights.mirror(), new StderrProgress());
                System.out.println(out);
                return 0;
            });
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Check a weight file copied by hand, such as the published vgg19-dcbb9e9d.pth, and convert it "
                    + "into the cache as fetch does with a download: its sha256 must start with the hash its name carries.")
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "A .pth, .safetensors or .caffemodel VGG file")
        Path file;

        @Override
        public Integer call() {
            return CliErrors.guard("weights import", () -> {
                System.out.println(WeightImport.importFile(file, VggWeights.home(), new StderrProgress()));
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show the converted weights in the cache.")
    static final class ListCached implements Callable<Integer> {
        @Override
        public Integer call() {
            return CliErrors.guard("weights list", () -> {
                Path home = VggWeights.home();
                List<WeightCache.Entry> entries = WeightCache.list(home);
                if (entries.isEmpty()) {
                    System.out.println("no weights cached in " + home + "; fetch some with 'pixelgrad weights fetch vgg19'"
                            + " or import a copied file with 'pixelgrad weights import FILE'");
                    return 0;
                }
                System.out.printf(Locale.ROOT, "%-16s %-6s %-12s %10s  %s%n", "name", "arch", "preprocess", "size", "source");
                for (WeightCache.Entry e : entries) {
                    System.out.printf(Locale.ROOT, "%-16s %-6s %-12s %8.1f MB  %s%n", e.name(), e.arch(), e.preprocessing(), e.bytes() / 1e6, e.source());
                }
                return 0;
            });
        }
    }

    /** A progress bar on stderr on a terminal; a plain line every 10 % otherwise. */
    static final class StderrProgress implements WeightFetcher.Progress {
        private ProgressBar bar;
        private long total;
        private int lastDecile = -1;

        @Override
        public void start(String url, long total, long resumedFrom) {
            close();
            this.total = total;
            System.err.println((resumedFrom > 0 ? "resuming " : "downloading ") + url + (resumedFrom > 0 ? " from byte " + resumedFrom : ""));
            if (RunReporter.stderrIsTerminal()) {
                bar = new ProgressBarBuilder().setTaskName("download").setInitialMax(Math.max(total, 0)).setUnit(" MB", 1_000_000)
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
                bar.stepTo(resumedFrom);
            }
        }

        @Override
        public void advance(long bytesSoFar) {
            if (bar != null) {
                bar.stepTo(bytesSoFar);
                if (total > 0 && bytesSoFar >= total) {
                    close();
                }
            } else if (total > 0) {
                int decile = (int) (bytesSoFar * 10 / total);
                if (decile != lastDecile) {
                    lastDecile = decile;
                    System.err.printf(Locale.ROOT, "  %3d%%  %.1f / %.1f MB%n", decile * 10, bytesSoFar / 1e6, total / 1e6);
                }
            }
        }

        @Override
        public void message(String line) {
            close();
            System.err.println(line);
        }

        private void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
