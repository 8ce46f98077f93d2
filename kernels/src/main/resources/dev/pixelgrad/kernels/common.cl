// Shared by every Pixelgrad OpenCL program. Shapes always arrive as kernel arguments; only
// tunables (tile sizes, vector widths) are compile-time, set with -D by the host.
typedef float real;
typedef float2 real2;
typedef float4 real4;
typedef float8 real8;
typedef float16 real16;

// Work-item index guard for kernels launched over a global size rounded up to the local size.
#define GUARD(i, n) if ((i) >= (n)) return

// Kahan-compensated accumulation: sums of millions of float terms keep their digits without
// needing double support on the device.
typedef struct { real s; real c; } kahan;

inline kahan kahan_add(kahan k, real v) {
    real y = v - k.c;
    real t = k.s + y;
    // Once the sum overflows, the compensation would turn Inf into NaN: keep Inf an Inf.
    k.c = isfinite(t) ? (t - k.s) - y : 0.0f;
    k.s = t;
    return k;
}
