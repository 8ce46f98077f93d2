package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.BackendProvider;
import dev.pixelgrad.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Lists every backend and device found, and which one {@code auto} picks. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List every OpenCL platform and device (and the Java backend), and which one --device auto picks.")
final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--retime", description = "Time auto's candidates again instead of using the choice saved under the Pixelgrad home.")
    boolean retime;

    @Override
    public Integer call() {
        System.out.println("java: pure-Java backend, " + Runtime.getRuntime().availableProcessors() + " cores (always available)");
        for (BackendProvider p : Backends.providers()) {
            for (BackendProvider.DeviceDescription d : p.describe()) {
                System.out.println(d.spec() + ": " + d.summary() + (d.selfTestPassed() ? "" : "  [failed its self-test]"));
            }
        }
        Backend auto = Backends.select("auto", msg -> System.out.println("note: " + msg), retime);
        String reason = Backends.autoReason();
        System.out.println("auto picks: " + auto.name() + (reason == null ? " (no OpenCL device)" : ": " + reason));
        return 0;
    }
}
