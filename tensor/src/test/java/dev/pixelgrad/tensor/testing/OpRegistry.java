package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Op;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the ops the engine ships (every concrete {@link Op} subclass in
 * {@code dev.pixelgrad.tensor.ops}, read from the compiled classes directory or the jar that
 * holds {@code Op}) and the ops that {@link GradientCheckSuite} declares with {@link Covers}.
 */
public final class OpRegistry {
    /** The package whose ops must all have a gradient check. */
    public static final String OPS_PACKAGE = "dev.pixelgrad.tensor.ops";

    private OpRegistry() {
    }

    /** Every concrete Op subclass in {@link #OPS_PACKAGE}, sorted by name. */
    public static List<Class<? extends Op>> shippedOps() {
        Path location;
        try {
            location = Path.of(Op.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("op registry: cannot locate the classes of " + Op.class, e);
        }
        String dir = OPS_PACKAGE.replace('.', '/') + "/";
        List<String> classFiles = new ArrayList<>();
        try {
            if (Files.isDirectory(location)) {
                Path pkg = location.resolve(dir);
                try (Stream<Path> files = Files.list(pkg)) {
                    files.map(p -> dir + p.getFileName()).forEach(classFiles::add);
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    jar.stream().map(JarEntry::getName)
                            .filter(n -> n.startsWith(dir) && n.indexOf('/', dir.length()) < 0)
                            .forEach(classFiles::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("op registry: cannot list " + dir + " in " + location, e);
        }
        List<Class<? extends Op>> ops = new ArrayList<>();
        for (String file : classFiles) {
            if (!file.endsWith(".class")) {
                continue;
            }
            String name = file.substring(0, file.length() - ".class".length()).replace('/', '.');
            Class<?> c;
            try {
                c = Class.forName(name, false, Op.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("op registry: " + file + " is listed but cannot be loaded", e);
            }
            if (Op.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers()) && !c.isInterface()) {
                ops.add(c.asSubclass(Op.class));
            }
        }
        ops.sort(Comparator.comparing(Class::getName));
        return ops;
    }

    /** The op classes named by {@link Covers} on the test methods of {@code suite} and its superclasses. */
    public static Set<Class<? extends Op>> coveredOps(Class<?> suite) {
        Set<Class<? extends Op>> covered = new LinkedHashSet<>();
        for (Class<?> c = suite; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                Covers cov = m.getAnnotation(Covers.class);
                if (cov != null) {
                    covered.addAll(Arrays.asList(cov.value()));
                }
            }
        }
        return covered;
    }
}
