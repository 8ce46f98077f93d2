package dev.pixelgrad.bench;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.BackendProvider;
import dev.pixelgrad.tensor.Backends;
import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the figures depend on, printed above the table and saved with the rows: the same code runs
 * at very different speeds on another CPU, vector width, JDK or OpenCL driver.
 *
 * @param cpu        the CPU model, from /proc/cpuinfo or lscpu
 * @param cores      processors available to the JVM (what the Java backend's threads get)
 * @param vectorBits the Vector API's preferred float species width (FloatVector.SPECIES_PREFERRED)
 * @param jdk        the JDK's version and VM
 * @param opencl     the OpenCL device and driver the opencl rows ran on; null when none opened
 */
record BenchEnvironment(String cpu, int cores, int vectorBits, String jdk, String opencl) {

    /** This machine; {@code opencl} is the opened OpenCL backend, or null. */
    static BenchEnvironment detect(Backend opencl) {
        return new BenchEnvironment(cpuModel(), Runtime.getRuntime().availableProcessors(),
                FloatVector.SPECIES_PREFERRED.vectorBitSize(),
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vm.vendor") + ")",
                opencl == null ? null : openclDevice(opencl));
    }

    /** The lines printed above the table. */
    List<String> lines() {
        List<String> lines = new ArrayList<>(List.of(
                "cpu      " + cpu + ", " + cores + " cores available to the JVM",
                "vector   " + vectorBits + "-bit preferred float species (" + vectorBits / 32 + " lanes)",
                "jdk      " + jdk));
        if (opencl != null) {
            lines.add("opencl   " + opencl);
        }
        return lines;
    }

    /**
     * The device line of {@code pixelgrad devices} (name, vendor, driver version) for the device
     * the backend runs on; its name() starts with that device's spec, e.g. "opencl:0:0 (...)".
     */
    private static String openclDevice(Backend opencl) {
        String spec = opencl.name().split(" ", 2)[0];
        for (BackendProvider provider : Backends.providers()) {
            if (spec.startsWith(provider.prefix())) {
                for (BackendProvider.DeviceDescription d : provider.describe()) {
                    if (d.spec().equals(spec)) {
                        return spec + " = " + d.summary();
                    }
                }
            }
        }
        return opencl.name() + " (driver unknown: no device description for " + spec + ")";
    }

    /** /proc/cpuinfo names x86 models; lscpu also names ARM cores, whose cpuinfo has no model name. */
    private static String cpuModel() {
        String model = describe(readLines(Path.of("/proc/cpuinfo")));
        if (model == null) {
            model = value(lscpu(), "Model name");
        }
        return model != null ? model : System.getProperty("os.arch") + " (model unknown: no /proc/cpuinfo or lscpu)";
    }

    /**
     * The model name from x86 cpuinfo lines, with the family, model and widest vector extension:
     * virtual machines often report only "AMD EPYC", which covers Zen 2 to Zen 5 (family 23 or 25
     * or 26, told apart by the model), with or without AVX-512. Null without a model name.
     */
    static String describe(List<String> cpuinfo) {
        String name = value(cpuinfo, "model name");
        if (name == null) {
            return null;
        }
        String family = value(cpuinfo, "cpu family"), model = value(cpuinfo, "model");
        List<String> flags = List.of(String.valueOf(value(cpuinfo, "flags")).split(" "));
        String isa = flags.contains("avx512f") ? "AVX-512" : flags.contains("avx2") ? "AVX2" : null;
        List<String> details = new java.util.ArrayList<>();
        if (family != null && model != null) {
            details.add("family " + family + " model " + model);
        }
        if (isa != null) {
            details.add(isa);
        }
        return details.isEmpty() ? name : name + " (" + String.join(", ", details) + ")";
    }

    /** The value of the first "key : value" line, or null. */
    static String value(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> lscpu() {
        try {
            Process p = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return p.waitFor(10, TimeUnit.SECONDS) ? out.lines().toList() : List.of();
            }
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
