package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.weights.Converter;
import dev.pixelgrad.weights.LoadedWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Converts any supported weight file into Pixelgrad's safetensors format. */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Convert VGG weights (PyTorch zip or legacy, safetensors, Caffe) to Pixelgrad's safetensors format.")
final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The weight file to read.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The converted .safetensors file to write (atomically).")
    Path out;

    @Option(names = "--arch", defaultValue = "auto", paramLabel = "vgg16|vgg19|auto",
            description = "The architecture; auto counts the convolutions in the file, 13 or 16 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--preprocess", defaultValue = "auto", paramLabel = "torchvision|caffe|auto",
            description = "The preprocessing; auto knows published files by their hash, takes caffe for a Caffe model "
                    + "and torchvision otherwise (default: ${DEFAULT-VALUE}).")
    String preprocess;

    @Option(names = "--half", description = "Store float16 instead of float32.")
    boolean half;

    @Override
    public Integer call() throws IOException {
        VggSpec.Arch a = arch.equalsIgnoreCase("auto") ? null : VggSpec.Arch.parse(arch);
        Preprocessing p = preprocess.equalsIgnoreCase("auto") ? null : Preprocessing.parse(preprocess);
        InputFiles.require("--in", in);
        OutputPaths.checkWritable("--out", out);
        Converter.Result r = Converter.convert(in, out, a, p, half);
        LoadedWeights w = r.weights();
        System.out.printf(Locale.ROOT, "converted %s (%s) -> %s%n", in, w.format().description(), out);
        System.out.printf(Locale.ROOT, "  %s%s, preprocessing %s (%s)%n", w.spec(), w.hasClassifier() ? " with classifier" : "",
                w.preprocessing().id(), w.preprocessingReason());
        System.out.printf(Locale.ROOT, "  %d tensors, %s, %.1f MB in %.2f s (reading %.2f s)%n", w.parameters().size(),
                half ? "float16" : "float32", r.bytes() / 1e6, r.totalMillis() / 1e3, r.readMillis() / 1e3);
        return 0;
    }
}
