package dev.pixelgrad.tensor;

/**
 * How ReLU passes its gradient back during {@code backward()}. The ordinary rule is the derivative,
 * dx = dy [x > 0]. Guided backpropagation (Springenberg et al. 2015) also drops negative
 * gradients, dx = dy [x > 0] [dy > 0], so that the image gradient shows only what excites the unit
 * it starts from. The mode is a scope around the backward pass, not a second network:
 * <pre>
 * try (ReluBackward.Scope s = ReluBackward.guided()) { activation.backward(seed); }
 * </pre>
 * It is read when each ReLU runs its backward, on the thread that calls {@code backward()}.
 */
public final class ReluBackward {
    /** The two rules. */
    public enum Mode { STANDARD, GUIDED }

    private static final ThreadLocal<Mode> MODE = ThreadLocal.withInitial(() -> Mode.STANDARD);

    private ReluBackward() {
    }

    public static Mode mode() {
        return MODE.get();
    }

    /** Guided backward for every ReLU until the returned scope is closed (scopes nest). */
    public static Scope guided() {
        Mode before = MODE.get();
        MODE.set(Mode.GUIDED);
        return () -> MODE.set(before);
    }

    /** A scope that restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
