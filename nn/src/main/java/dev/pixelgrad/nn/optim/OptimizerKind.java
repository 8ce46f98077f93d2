package dev.pixelgrad.nn.optim;

import java.util.Locale;

/** The optimisers on offer. */
public enum OptimizerKind {
    /** Limited-memory BFGS: a quasi-Newton method, the standard for Gatys-style problems. */
    LBFGS,
    /** Adam: first-order with per-pixel step sizes; cheaper per step, needs a learning rate. */
    ADAM;

    public static OptimizerKind parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace("-", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("optimizer: unknown value '" + s + "'; expected lbfgs or adam");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
