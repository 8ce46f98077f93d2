/**
 * The OpenCL backend, found at run time through {@link java.util.ServiceLoader}.
 *
 * <table>
 *   <caption>Classes, one job each</caption>
 *   <tr><td>{@link dev.pixelgrad.kernels.OpenClProvider}</td><td>device discovery, {@code opencl},
 *       {@code opencl:P:D} and {@code auto}, self-test, one-line errors; the {@code tune} entry point</td></tr>
 *   <tr><td>{@link dev.pixelgrad.kernels.OpenClBackend}</td><td>the {@link dev.pixelgrad.tensor.Backend}
 *       adapter: one launch per elementwise or pooling method, the rest delegated</td></tr>
 *   <tr><td>{@code ClRuntime}</td><td>context, queue, both programs, kernels by name, buffers,
 *       counted transfers, scratch buffers, launches</td></tr>
 *   <tr><td>{@code ClGemm}</td><td>GEMM and Gram in dot form: transposes, gemm_nt_partial or
 *       gemm_nt_local, then gemm_nt_finish</td></tr>
 *   <tr><td>{@code ClConvolution}</td><td>forward, backward-to-data and backward-to-weights, each by
 *       direct kernel, GEMM over im2col columns or col2im</td></tr>
 *   <tr><td>{@code ClWinograd}</td><td>3x3 stride-1 convolutions by Winograd F(4x4, 3x3) / F(2x2, 3x3):
 *       transforms, the a^2 batched products, the transformed weights kept per weight buffer</td></tr>
 *   <tr><td>{@code ClReductions}</td><td>sums, dot, total variation and the non-finite count, in two
 *       fixed stages</td></tr>
 *   <tr><td>{@code ClImageKernels}</td><td>windows (crop, roll) forward and backward, per-channel
 *       clamp, the fused Adam update</td></tr>
 *   <tr><td>{@link dev.pixelgrad.kernels.Tuning}</td><td>the table of tunables: {@code -D} options and
 *       launch shapes, CPU and GPU defaults, the stored file</td></tr>
 *   <tr><td>{@code Tuner}</td><td>times candidate tunings on their own runtimes, stores the best</td></tr>
 *   <tr><td>{@code KernelTiming}</td><td>the one timing rule: warm-up, then the best of a few runs</td></tr>
 *   <tr><td>{@code ProgramCache}</td><td>builds the {@code .cl} resources, caching binaries per device,
 *       driver and source hash under {@code PIXELGRAD_HOME/opencl/}</td></tr>
 *   <tr><td>{@code DeviceInfo}</td><td>what the host knows of a device, and its cache key</td></tr>
 *   <tr><td>{@code KernelCall}</td><td>typed kernel arguments, then the enqueue</td></tr>
 *   <tr><td>{@link dev.pixelgrad.kernels.OpenClStorage}</td><td>a device buffer of floats, with a stamp
 *       that changes whenever a launch or copy may write it</td></tr>
 *   <tr><td>{@link dev.pixelgrad.kernels.TransferCounter}</td><td>counts host-device transfers</td></tr>
 * </table>
 *
 * Adding a kernel: write it in a {@code .cl} file (it is found by name in whichever program holds
 * it) and launch it from the class of its family through {@code ClRuntime.call(name)}.
 *
 * <p>Algorithms: convolution is direct (implicit GEMM) with a register tile of 16 VK output
 * channels times PX pixels per work-item; backward-to-data of a stride-1 convolution is the same
 * kernel with the weights rotated and transposed, other strides go through GEMM and col2im;
 * backward-to-weights is im2col plus GEMM. GEMM runs in "dot form" (both operands along k,
 * k split into chunks summed in a fixed order); Gram matrices compute one triangle of tiles when
 * the tiles are square (TM = TN). Where local memory is real (GPUs) the GEMM stages k-steps of
 * both operands in local memory for work-groups of MDIMC x MDIMC work-items, each with a TM x TN
 * register block (gemm_nt_local, after CLBlast's xgemm), and splits k only as far as needed to
 * fill the device, and convolutions of small images (up to 128 x 128 outputs) run as that GEMM
 * over transposed im2col columns; CPUs keep one work-item per group and no local memory. On CPUs
 * 3x3, stride-1 convolutions with at least 32 channels on both sides (every VGG layer but the
 * first), forward and backward to the data, go by Winograd ({@code winograd.cl}): 4x fewer
 * multiply-adds with 4x4 output tiles, done as a^2 products with the direct kernel's register tile.
 */
package dev.pixelgrad.kernels;
