package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.BackendProvider;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Random;
import java.util.concurrent.Callable;

/** Lists the backends found and runs a small forward and backward on the chosen one. */
@Command(name = "selfcheck", mixinStandardHelpOptions = true,
        description = "Print the backends found and run a small forward and backward pass.")
final class SelfCheckCommand implements Callable<Integer> {
    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        System.out.println("pixelgrad self-check");
        System.out.println("  backend java: always available");
        for (BackendProvider p : Backends.providers()) {
            for (BackendProvider.DeviceDescription d : p.describe()) {
                System.out.println("  backend " + d.spec() + ": " + d.summary()
                        + (d.selfTestPassed() ? "" : " (failed its self-test)"));
            }
        }
        Backend be = device.backend();
        Random rnd = new Random(1);
        Tensor x = Tensor.of(randoms(rnd, 1 * 3 * 16 * 16), Shape.of(1, 3, 16, 16), be).requiresGrad(true);
        Tensor w = Tensor.of(randoms(rnd, 8 * 3 * 3 * 3), Shape.of(8, 3, 3, 3), be);
        long t0 = System.nanoTime();
        Tensor loss = Ops.relu(Ops.conv2d(x, w, null, Conv2dSpec.of(1, 1))).square().sum();
        float value = loss.item();
        loss.backward();
        float[] g = x.grad().toArray();
        double norm = 0;
        for (float v : g) {
            norm += v * v;
        }
        System.out.printf("  on %s: conv3x3 -> relu -> sum of squares = %.4f, |d loss/d x| = %.4f (%.1f ms)%n",
                be.name(), value, Math.sqrt(norm), (System.nanoTime() - t0) / 1e6);
        boolean ok = Float.isFinite(value) && value > 0 && norm > 0;
        System.out.println(ok ? "self-check passed" : "self-check FAILED");
        return ok ? 0 : 1;
    }

    private static float[] randoms(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
