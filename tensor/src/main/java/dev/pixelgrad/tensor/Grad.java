package dev.pixelgrad.tensor;

/**
 * Whether ops record themselves for backward. Inference (computing features, targets) runs in a
 * no-grad scope so that nothing is kept for a backward pass that will never come:
 * <pre>
 * try (var scope = Grad.disabled()) { target = vgg.forward(image, layers); }
 * </pre>
 */
public final class Grad {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private Grad() {
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Turns recording off until the returned scope is closed (scopes nest). */
    public static Scope disabled() {
        boolean before = ENABLED.get();
        ENABLED.set(Boolean.FALSE);
        return () -> ENABLED.set(before);
    }

    /** A scope that restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
