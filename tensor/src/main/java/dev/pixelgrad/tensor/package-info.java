/**
 * The engine: {@link dev.pixelgrad.tensor.Tensor} (float32, NCHW) with reverse-mode autograd, the
 * differentiable ops, and the {@link dev.pixelgrad.tensor.Backend} contract of numeric kernels.
 *
 * <p><b>One front door per op.</b> {@link dev.pixelgrad.tensor.Ops} holds the layers, losses and
 * image operations of the course (conv2d, relu, pools, gram, mse/sse, total variation, crop, roll,
 * resample); {@code Tensor} methods hold arithmetic, reductions and shape (add, sub, mul, scale,
 * square, pow, sum, mean, reshape, matmul). Tensor methods that are not recorded on the tape say so:
 * updates end in {@code InPlace}, host values ({@code item}, {@code toArray}, {@code sumAbs}) are
 * Java numbers.
 *
 * <p><b>What a device must provide</b> is the list of kernels in {@code Backend}, documented as a
 * table in {@code tensor/README.md}; optional fused kernels (such as
 * {@link dev.pixelgrad.tensor.AdamKernel}) are separate capability interfaces.
 */
package dev.pixelgrad.tensor;
