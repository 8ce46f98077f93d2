package dev.pixelgrad.weights;

import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import dev.pixelgrad.tensor.io.PixelgradHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one way commands get a network: {@link #load(Path, Backend)} reads any supported weight
 * file (converted {@code .safetensors}, PyTorch {@code .pth} zip or legacy, foreign safetensors,
 * Caffe {@code .caffemodel}), maps its names to the standard ones, checks every tensor against the
 * architecture and builds the {@link Vgg}.
 */
public final class VggWeights {
    private VggWeights() {
    }

    /**
     * The network stored in {@code fileOrNull}, with its parameters on {@code backend}; null means
     * the cached converted VGG-19 ({@code vgg19.safetensors} in {@link #home()}).
     *
     * @throws WeightFileException naming the file, the tensor and what was wrong; for a missing
     *                             cache, naming the command that fetches it
     */
    public static Vgg load(Path fileOrNull, Backend backend) {
        return load(fileOrNull, backend, true);
    }

    /** As {@link #load(Path, Backend)}; without {@code classifier}, fc6-fc8 are left out even when the file has them. */
    public static Vgg load(Path fileOrNull, Backend backend, boolean classifier) {
        Vgg vgg = toVgg(read(fileOrNull == null ? requireCached("vgg19") : fileOrNull, null, null), backend, classifier);
        if (backend != Backends.java()) {
            // Reading the file left its bytes and decoded values (about twice its size) as garbage.
            // On a device the run's large buffers live outside the Java heap and would come on top of
            // it: collecting now lets the heap shrink first (style at 1024² on POCL with a 575 MB .pth:
            // 4.5 GB peak without, 2.7 GB with). The Java backend's tensors reuse that heap instead,
            // and there an early full collection made the peak higher, not lower.
            System.gc();
        }
        return vgg;
    }

    /** Builds the network from checked weights. */
    public static Vgg toVgg(LoadedWeights w, Backend backend) {
        return toVgg(w, backend, true);
    }

    private static Vgg toVgg(LoadedWeights w, Backend backend, boolean classifier) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (RawTensor t : w.parameters().values()) {
            if (classifier || !t.name().startsWith("fc")) {
                params.put(t.name(), Tensor.of(t.data(), Shape.of(t.shape()), backend));
            }
        }
        return Vgg.of(w.spec(), params, w.preprocessing(), PoolingMode.MAX);
    }

    /**
     * Reads, maps and checks any supported file. {@code arch} and {@code preprocessing} override
     * detection when not null.
     */
    public static LoadedWeights read(Path file, VggSpec.Arch arch, Preprocessing preprocessing) {
        return WeightLoader.load(file, arch, preprocessing);
    }

    /** The cache directory: see {@link PixelgradHome}. */
    public static Path home() {
        return PixelgradHome.dir();
    }

    /** The cached converted file for {@code name} (vgg19, vgg16, vgg19-caffe, ...), which must exist. */
    public static Path requireCached(String name) {
        Path p = home().resolve(name + ".safetensors");
        if (!Files.isRegularFile(p)) {
            String arch = name.startsWith("vgg16") ? "vgg16" : "vgg19";
            String source = name.endsWith("-caffe") ? " --source caffe" : "";
            String copied = KnownWeights.byCacheName(name).map(k -> " a copied " + k.fileName()).orElse(" a copied file");
            throw new WeightFileException(p, "no cached " + name + " weights; fetch them with 'pixelgrad weights fetch "
                    + arch + source + "' (cache directory: " + PixelgradHome.describe() + "), import" + copied
                    + " with 'pixelgrad weights import FILE', or pass --weights FILE");
        }
        return p;
    }
}
