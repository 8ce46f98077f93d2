package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Parity with PyTorch 1.13: the outputs and input gradients of each op on the fixtures written by
 * {@code tensor/src/test/python/make_op_fixtures.py}. For each case the op runs on the fixture's
 * inputs, its output is compared with PyTorch's, then {@code backward(r)} with the fixture's
 * random direction r gives the gradients of L = sum(r * y), compared with PyTorch's.
 *
 * <p>Error: max |ours - reference| / max |reference| over each tensor, at most {@link #TOLERANCE}.
 * The fixtures travel on the class path (in the test-jar), so another backend's test class only
 * extends this and returns its backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ParitySuite {
    /** Largest accepted relative error (max abs error over max abs reference). */
    public static final double TOLERANCE = 1e-4;
    /** The command, run from the repository root, that writes the fixtures. */
    public static final String REGENERATE = "python3 tensor/src/test/python/make_op_fixtures.py";
    private static final String ROOT = "/fixtures/ops/";

    /** Worst relative error seen per "op tensor", e.g. "conv2d dw", for the summary. */
    private final Map<String, Double> worst = new TreeMap<>();

    /** The backend under test; every tensor of the suite is created on it. */
    protected abstract Backend backend();

    /** One line of index.txt. */
    public record Case(String name, String op, Map<String, String> params) {
        String param(String key) {
            String v = params.get(key);
            if (v == null) {
                throw new IllegalStateException("parity: case " + name + " (" + op + ") has no parameter '" + key
                        + "' in index.txt; regenerate with: " + REGENERATE);
            }
            return v;
        }

        int intParam(String key) {
            return Integer.parseInt(param(key));
        }
    }

    /** The cases listed in {@code fixtures/ops/index.txt}. */
    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open("index.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 2; i < parts.length; i++) {
                    String[] kv = parts[i].split("=", 2);
                    params.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                cases.add(new Case(parts[0], parts[1], params));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("parity: cannot read " + ROOT + "index.txt", e);
        }
        if (cases.isEmpty()) {
            throw new IllegalStateException("parity: " + ROOT + "index.txt lists no cases; regenerate with: " + REGENERATE);
        }
        return cases;
    }

    private static InputStream open(String file) {
        InputStream in = ParitySuite.class.getResourceAsStream(ROOT + file);
        if (in == null) {
            throw new IllegalStateException("parity: fixture " + ROOT + file + " is not on the class path;"
                    + " regenerate the fixtures with: " + REGENERATE);
        }
        return in;
    }

    private static Npy.Array load(Case c, String tensor) {
        String file = c.name() + "." + tensor + ".npy";
        return Npy.read(open(file), ROOT + file);
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name() + " (" + c.op() + ")", () -> run(c)));
    }

    /** The op's inputs in the order its fixture names them. */
    private static List<String> inputNames(Case c) {
        return switch (c.op()) {
            case "conv2d", "residual_conv2d" -> Boolean.parseBoolean(c.param("bias")) ? List.of("x", "w", "b") : List.of("x", "w");
            case "mse", "sse", "add" -> List.of("a", "b");
            case "instance_norm" -> List.of("x", "gamma", "beta");
            default -> List.of("x");
        };
    }

    private static Tensor apply(Case c, List<Tensor> in) {
        return switch (c.op()) {
            case "conv2d" -> Ops.conv2d(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null,
                    Conv2dSpec.of(c.intParam("stride"), c.intParam("pad")));
            case "max_pool2d" -> Ops.maxPool2d(in.get(0), PoolSpec.of(c.intParam("kernel"), c.intParam("stride"), c.intParam("pad")));
            case "avg_pool2d" -> Ops.avgPool2d(in.get(0), PoolSpec.of(c.intParam("kernel"), c.intParam("stride"), c.intParam("pad")));
            case "relu" -> Ops.relu(in.get(0));
            case "gram" -> Ops.gram(in.get(0), Float.parseFloat(c.param("alpha")));
            case "tv" -> Ops.totalVariation(in.get(0), Float.parseFloat(c.param("beta")));
            case "mse" -> Ops.mse(in.get(0), in.get(1));
            case "sse" -> Ops.sse(in.get(0), in.get(1));
            case "reflection_pad" -> Ops.reflectionPad(in.get(0), c.intParam("top"), c.intParam("bottom"),
                    c.intParam("left"), c.intParam("right"));
            case "upsample_nearest" -> Ops.upsampleNearest(in.get(0), c.intParam("factor"));
            case "instance_norm" -> Ops.instanceNorm(in.get(0), in.get(1), in.get(2), Float.parseFloat(c.param("eps")));
            case "add" -> in.get(0).add(in.get(1));
            // a residual block's skip connection: y = x + conv2d(x, w, b)
            case "residual_conv2d" -> in.get(0).add(Ops.conv2d(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null,
                    Conv2dSpec.of(c.intParam("stride"), c.intParam("pad"))));
            default -> throw new IllegalStateException("parity: index.txt names op '" + c.op() + "' (case " + c.name()
                    + ") which " + ParitySuite.class.getSimpleName() + " does not know; add it to apply()");
        };
    }

    private Tensor upload(Npy.Array a) {
        return Tensor.of(a.data(), Shape.of(a.shape()), backend());
    }

    private void run(Case c) {
        List<String> names = inputNames(c);
        List<Tensor> in = new ArrayList<>();
        for (String n : names) {
            in.add(upload(load(c, n)).requiresGrad(true));
        }
        Tensor y = apply(c, in);
        List<String> failures = new ArrayList<>();
        compare(c, "y", load(c, "y"), y, failures);
        y.backward(upload(load(c, "r")));
        for (int i = 0; i < names.size(); i++) {
            compare(c, "d" + names.get(i), load(c, "d" + names.get(i)), in.get(i).grad(), failures);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("parity " + c.name() + " (" + c.op() + " " + c.params() + ") on " + backend().name()
                    + " differs from PyTorch 1.13:" + String.join("", failures)
                    + "\n  if the op's meaning changed on purpose, regenerate the fixtures from the repository root with: "
                    + REGENERATE);
        }
    }

    private void compare(Case c, String tensor, Npy.Array expected, Tensor actual, List<String> failures) {
        Shape want = Shape.of(expected.shape());
        if (actual == null) {
            failures.add("\n  " + tensor + ": no gradient was computed (grad() is null), expected shape " + want);
            return;
        }
        if (!actual.shape().equals(want)) {
            failures.add("\n  " + tensor + ": shape " + actual.shape() + ", expected " + want);
            return;
        }
        float[] got = actual.toArray(), ref = expected.data();
        double maxDiff = 0, maxRef = 0;
        int at = 0;
        for (int i = 0; i < ref.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            double d = Math.abs((double) got[i] - ref[i]);
            if (!(d <= maxDiff)) {
                maxDiff = d;
                at = i;
                if (Double.isNaN(d)) {
                    break;
                }
            }
        }
        double rel = maxDiff / Math.max(maxRef, 1e-30);
        worst.merge(c.op() + " " + tensor, Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel, Math::max);
        if (!(rel <= TOLERANCE)) {
            failures.add(String.format("%n  %s %s: max |diff| %.3g at element %d (ours %.8g, PyTorch %.8g)"
                            + " over max |reference| %.3g = relative %.3g > %.0e",
                    tensor, want, maxDiff, at, got[at], ref[at], maxRef, rel, TOLERANCE));
        }
    }

    @AfterAll
    void printWorstErrors() {
        StringBuilder sb = new StringBuilder("PyTorch parity on " + backend().name() + ", worst relative error per op and tensor:");
        worst.forEach((k, v) -> sb.append(String.format("%n  %-20s %.2e", k, v)));
        System.out.println(sb);
    }
}
