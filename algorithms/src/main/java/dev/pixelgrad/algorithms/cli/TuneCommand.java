package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Tunable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Times kernel configurations on one device and stores the best in the cache. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Time candidate kernel configurations at the VGG shapes on the chosen OpenCL device and store the best "
                + "(under PIXELGRAD_HOME, default ~/.cache/pixelgrad).")
final class TuneCommand implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "opencl",
            description = "The device to tune: opencl (its preferred device) or opencl:P:D (default: ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() {
        Backend b = Backends.select(device, msg -> System.err.println("pixelgrad: " + msg));
        if (!(b instanceof Tunable t)) {
            System.err.println("pixelgrad tune: backend " + b.name() + " has nothing to tune; pass an OpenCL device "
                    + "(see 'pixelgrad devices')");
            return 2;
        }
        t.tune(System.out);
        return 0;
    }
}
