/*
 * Lets the MKL inside libtorch choose its kernels by what the CPU can do, not by who made it.
 *
 * libtorch 2.5.1 links oneMKL 2024.2 and exports its service functions. Before picking a code path,
 * MKL asks mkl_serv_intel_cpu_true() whether the CPU is an Intel one; on any other x86 CPU the
 * answer is no and MKL runs its baseline kernels even where the CPU has AVX2 and AVX-512. On the AMD
 * EPYC of the lab's machines that made fp32 products 1.2-4x slower (docs/compute.md, "MKL on a
 * non-Intel CPU"). Preloaded ahead of libtorch (./aha does it), this definition answers yes, and MKL
 * then reads the CPU's feature flags (cpuid) as it does on Intel, so it uses only instructions the
 * CPU has. AHA_MKL_VENDOR_CHECK=keep makes ./aha leave it out.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
