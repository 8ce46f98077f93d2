package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.tensor.BackendProvider;
import dev.pixelgrad.tensor.BackendUnavailableException;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Tunable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Times kernel configurations on one device and stores the best in the cache. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Time candidate kernel configurations at the VGG shapes on the chosen OpenCL device and store the best "
                + "in Pixelgrad's state directory ($PIXELGRAD_HOME, else ~/.cache/pixelgrad).")
final class TuneCommand implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "opencl", paramLabel = "SPEC", converter = Checked.Device.class,
            description = "The device to tune: opencl (its preferred device) or opencl:P:D (default: ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() {
        String spec = device;   // checked and in lower case (Checked.Device)
        String prefix = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        for (BackendProvider p : Backends.providers()) {
            if (p instanceof Tunable t && p.prefix().equals(prefix)) {
                try {
                    t.tune(spec, System.out);
                    return 0;
                } catch (BackendUnavailableException e) {
                    System.err.println("pixelgrad tune: " + e.getMessage());
                    return 2;
                }
            }
        }
        System.err.println("pixelgrad tune: device '" + device + "' has nothing to tune; pass an OpenCL device "
                + "(see 'pixelgrad devices')");
        return 2;
    }
}
