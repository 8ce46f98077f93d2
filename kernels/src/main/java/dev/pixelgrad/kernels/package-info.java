/**
 * The OpenCL backend, found at run time through {@link java.util.ServiceLoader}.
 *
 * <ul>
 *   <li>{@link dev.pixelgrad.kernels.OpenClProvider}: device discovery, {@code opencl},
 *       {@code opencl:P:D} and {@code auto}, self-test, one-line errors.</li>
 *   <li>{@link dev.pixelgrad.kernels.OpenClBackend}: one kernel launch (or two, for reductions
 *       and GEMM) per {@link dev.pixelgrad.tensor.Backend} method; buffers stay on the device.</li>
 *   <li>{@code ProgramCache}: builds the {@code .cl} resources ({@code common.cl} first), caching
 *       binaries per device, driver and source hash under {@code PIXELGRAD_HOME/opencl/}.</li>
 *   <li>{@link dev.pixelgrad.kernels.Tuning} and {@link dev.pixelgrad.kernels.Tuner}: the
 *       {@code -D} tunables of {@code conv.cl} and {@code gemm.cl}, timed at VGG shapes.</li>
 *   <li>{@code KernelCall}: typed kernel arguments.</li>
 * </ul>
 *
 * Algorithms: convolution is direct (implicit GEMM) with a register tile of 16 VK output
 * channels times PX pixels per work-item; backward-to-data of a stride-1 convolution is the same
 * kernel with the weights rotated and transposed, other strides go through GEMM and col2im;
 * backward-to-weights is im2col plus GEMM. GEMM runs in "dot form" (both operands along k,
 * k split into chunks summed in a fixed order); Gram matrices compute one triangle of tiles when
 * the tiles are square (TM = TN). Where local memory is real (GPUs) the GEMM stages k-steps of
 * both operands in local memory for work-groups of MDIMC x MDIMC work-items, each with a TM x TN
 * register block (gemm_nt_local, after CLBlast's xgemm), and splits k only as far as needed to
 * fill the device; CPUs keep one work-item per group and no local memory.
 */
package dev.pixelgrad.kernels;
