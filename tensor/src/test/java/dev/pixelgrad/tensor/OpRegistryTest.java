package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.Covers;
import dev.pixelgrad.tensor.testing.GradientCheckSuite;
import dev.pixelgrad.tensor.testing.OpRegistry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every op the engine ships must have a finite-difference gradient check. */
class OpRegistryTest {

    @Test
    void everyOpHasAGradientCheck() {
        List<Class<? extends Op>> shipped = OpRegistry.shippedOps();
        Set<Class<? extends Op>> covered = OpRegistry.coveredOps(GradientCheckSuite.class);
        List<String> missing = shipped.stream().filter(c -> !covered.contains(c))
                .map(Class::getSimpleName).sorted().collect(Collectors.toList());
        if (!missing.isEmpty()) {
            fail("ops without a gradient check: " + missing + "; add a @Test @Covers(Op.class) method to "
                    + GradientCheckSuite.class.getName() + " for each");
        }
    }

    @Test
    void theScanFindsTheKnownOps() {
        // guards the scan itself: an empty or broken listing would make the test above pass vacuously
        List<String> names = OpRegistry.shippedOps().stream().map(Class::getSimpleName).collect(Collectors.toList());
        for (String op : List.of("Conv2d", "Relu", "MaxPool2d", "AvgPool2d", "Gram", "SquaredError",
                "TotalVariation", "MatMul", "Reshape", "ReflectionPad", "UpsampleNearest")) {
            assertTrue(names.contains(op), "op registry scan missed " + op + "; found " + names);
        }
    }

    @Test
    void everyCoveringMethodIsATest() {
        for (Method m : GradientCheckSuite.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Covers.class)) {
                assertTrue(m.isAnnotationPresent(Test.class),
                        m.getName() + " declares @Covers but is not a @Test, so its check never runs");
            }
        }
    }
}
