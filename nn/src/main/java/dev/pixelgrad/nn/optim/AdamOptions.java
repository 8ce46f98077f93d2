package dev.pixelgrad.nn.optim;

/**
 * Adam's settings (Kingma and Ba): step size {@code learningRate}, moment decays
 * {@code beta1}, {@code beta2} and {@code eps} in the denominator.
 */
public record AdamOptions(float learningRate, float beta1, float beta2, float eps) {
    public AdamOptions {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("adam: learning rate must be positive, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("adam: beta1 and beta2 must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
    }

    /** lr 1e-3, betas (0.9, 0.999), eps 1e-8: the paper's values. */
    public static AdamOptions defaults() {
        return new AdamOptions(1e-3f, 0.9f, 0.999f, 1e-8f);
    }

    public AdamOptions withLearningRate(float lr) {
        return new AdamOptions(lr, beta1, beta2, eps);
    }
}
