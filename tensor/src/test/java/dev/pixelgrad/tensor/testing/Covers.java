package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Op;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares which op classes a gradient check exercises. The registry test
 * ({@code OpRegistryTest}) reads these annotations from {@link GradientCheckSuite} and fails
 * when an op in {@code dev.pixelgrad.tensor.ops} has no check.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Covers {
    Class<? extends Op>[] value();
}
