package dev.pixelgrad.weights;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.VggSpec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The published VGG files Pixelgrad knows. Their names carry the first 8 hex digits of the file's
 * sha256 (the torch.hub convention, which torch.hub itself checks); that prefix is what we verify
 * and what recognises a file whatever it was renamed to. Full published hashes are not recorded:
 * the prefix is the only hash the publishers state.
 *
 * <ul>
 * <li>torchvision: {@code vgg16-397923af.pth}, {@code vgg19-dcbb9e9d.pth} from download.pytorch.org,
 * trained in PyTorch's RGB, mean/std preprocessing;</li>
 * <li>Caffe ports of the original VGG release (jcjohnson/pytorch-vgg): {@code vgg16-00b39a1b.pth},
 * {@code vgg19-d01eb7cb.pth}, which expect BGR in [0,255] minus the Caffe mean.</li>
 * </ul>
 */
public final class KnownWeights {
    /**
     * Base URL override for downloads: files are fetched as {@code <mirror>/<file name>}, from an
     * {@code http://}, {@code https://} or {@code file:///} base (one folder can serve an offline lab).
     */
    public static final String MIRROR_ENV = "PIXELGRAD_WEIGHTS_MIRROR";
    /** System property naming the mirror; it wins over {@value #MIRROR_ENV} (programs that embed the engine, and tests). */
    public static final String MIRROR_PROPERTY = "pixelgrad.weights.mirror";

    /**
     * torch.hub's convention: a name such as {@code vgg19-dcbb9e9d.pth} carries the start of the
     * file's sha256 between the last '-' and the extension. Eight hex digits at least, so that a
     * name like {@code vgg-19.pth} is not taken for a hash.
     */
    private static final Pattern NAME_HASH = Pattern.compile("-([0-9a-f]{8,64})\\.[^.\\-]+$");

    /** One published file. */
    public record Published(String fileName, VggSpec.Arch arch, String source, Preprocessing preprocessing, String url) {
        /** The first 8 hex digits of the sha256, from the file name. */
        public String sha256Prefix() {
            return fileName.substring(fileName.lastIndexOf('-') + 1, fileName.lastIndexOf('.'));
        }

        /** Name of the converted file in the cache: vgg19, vgg19-caffe, ... */
        public String cacheName() {
            return arch.id() + (source.equals("torchvision") ? "" : "-" + source);
        }
    }

    public static final List<Published> ALL = List.of(
            new Published("vgg16-397923af.pth", VggSpec.Arch.VGG16, "torchvision", Preprocessing.TORCHVISION,
                    "https://download.pytorch.org/models/vgg16-397923af.pth"),
            new Published("vgg19-dcbb9e9d.pth", VggSpec.Arch.VGG19, "torchvision", Preprocessing.TORCHVISION,
                    "https://download.pytorch.org/models/vgg19-dcbb9e9d.pth"),
            new Published("vgg16-00b39a1b.pth", VggSpec.Arch.VGG16, "caffe", Preprocessing.CAFFE,
                    "https://s3-us-west-2.amazonaws.com/jcjohns-models/vgg16-00b39a1b.pth"),
            new Published("vgg19-d01eb7cb.pth", VggSpec.Arch.VGG19, "caffe", Preprocessing.CAFFE,
                    "https://s3-us-west-2.amazonaws.com/jcjohns-models/vgg19-d01eb7cb.pth"));

    private KnownWeights() {
    }

    /** The mirror from {@value #MIRROR_PROPERTY}, else {@value #MIRROR_ENV}; null when neither is set. */
    public static String mirror() {
        String prop = System.getProperty(MIRROR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return prop;
        }
        String env = System.getenv(MIRROR_ENV);
        return env == null || env.isBlank() ? null : env;
    }

    /** The sha256 prefix a file name carries ({@code dcbb9e9d} for {@code vgg19-dcbb9e9d.pth}), if any. */
    public static Optional<String> hashInName(String fileName) {
        Matcher m = NAME_HASH.matcher(fileName.toLowerCase(Locale.ROOT));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The published file that converts to {@code <cacheName>.safetensors} (vgg19, vgg16-caffe, ...). */
    public static Optional<Published> byCacheName(String cacheName) {
        return ALL.stream().filter(p -> p.cacheName().equals(cacheName)).findFirst();
    }

    /** The published file whose sha256 starts with the prefix its name carries. */
    public static Optional<Published> bySha256(String sha256Hex) {
        String h = sha256Hex.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(p -> h.startsWith(p.sha256Prefix())).findFirst();
    }

    /** The file for an architecture and source ("torchvision" or "caffe"). */
    public static Published find(VggSpec.Arch arch, String source) {
        String s = source.trim().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(p -> p.arch() == arch && p.source().equals(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("weights: unknown source '" + source + "'; expected torchvision or caffe"));
    }

    /** The download URL, honouring {@value #MIRROR_ENV}. */
    public static String url(Published p, String mirrorOrNull) {
        if (mirrorOrNull == null || mirrorOrNull.isBlank()) {
            return p.url();
        }
        String base = mirrorOrNull.endsWith("/") ? mirrorOrNull : mirrorOrNull + "/";
        return base + p.fileName();
    }
}
