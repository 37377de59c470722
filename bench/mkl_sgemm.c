/*
 * Times MKL's sgemm inside libtorch_cpu.so at the lab's decode and training shapes, with nothing
 * between the caller and MKL: the measurement behind docs/compute.md's "MKL on a non-Intel CPU".
 *
 *   cc -O2 -o /tmp/mkl_sgemm bench/mkl_sgemm.c -ldl
 *   D=$(ls -d ~/.djl.ai/pytorch/2.5.1-*cpu-linux-x86_64)
 *   LD_LIBRARY_PATH=$D /tmp/mkl_sgemm $D/libtorch_cpu.so 1                    # MKL as shipped
 *   LD_LIBRARY_PATH=$D LD_PRELOAD=native/target/libmkl_any_cpu.so /tmp/mkl_sgemm $D/libtorch_cpu.so 1
 *
 * The last argument is MKL's thread count. Each shape is rows x inner x outer of a row-major
 * product, timed as "NN" (weights stored inner x outer, as aha's InferenceWeights keep them) and
 * "TN" (weights stored outer x inner, as torch.nn.Linear and DJL's Linear.linear keep them).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef void (*sgemm_fn)(const char *, const char *, const int *, const int *, const int *,
                         const float *, const float *, const int *, const float *, const int *,
                         const float *, float *, const int *);

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s LIBTORCH_CPU_SO THREADS\n", argv[0]);
    return 2;
  }
  void *torch = dlopen(argv[1], RTLD_LAZY);
  if (!torch) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  int (*set_threads)(int) = (int (*)(int))dlsym(torch, "MKL_Set_Num_Threads_Local");
  sgemm_fn sgemm = (sgemm_fn)dlsym(torch, "sgemm_");
  if (!set_threads || !sgemm) {
    fprintf(stderr, "no MKL symbols in %s\n", argv[1]);
    return 1;
  }
  set_threads(atoi(argv[2]));
  /* rows, inner, outer: micro's gate_up, qkv, down and LM head at 16 and 64 rows, a training batch */
  static const int shapes[][3] = {{16, 256, 1376}, {16, 256, 512},  {16, 688, 256},
                                  {16, 256, 2048}, {64, 256, 1376}, {2048, 256, 1376}};
  const float one = 1, zero = 0;
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    int m = shapes[s][0], k = shapes[s][1], n = shapes[s][2];
    float *x = malloc(sizeof(float) * m * k), *w = malloc(sizeof(float) * k * n);
    float *y = malloc(sizeof(float) * m * n);
    for (long i = 0; i < (long)m * k; i++) x[i] = (float)(i % 7) * 0.1f;
    for (long i = 0; i < (long)k * n; i++) w[i] = (float)(i % 5) * 0.1f;
    int reps = m >= 1024 ? 20 : 2000;
    for (int layout = 0; layout < 2; layout++) {
      /* column-major sgemm computing y^T (n x m) = op(w) (n x k) * x^T (k x m) */
      const char *op = layout == 0 ? "N" : "T";
      const int *ldw = layout == 0 ? &n : &k;
      for (int r = 0; r < reps / 10; r++) sgemm(op, "N", &n, &m, &k, &one, w, ldw, x, &k, &zero, y, &n);
      double began = seconds();
      for (int r = 0; r < reps; r++) sgemm(op, "N", &n, &m, &k, &one, w, ldw, x, &k, &zero, y, &n);
      double each = (seconds() - began) / reps;
      printf("%s %5d x %4d x %4d: %8.1f us  %6.1f GFLOP/s\n", layout == 0 ? "NN" : "TN", m, k, n,
             each * 1e6, 2.0 * m * k * n / each / 1e9);
    }
    free(x);
    free(w);
    free(y);
  }
  return 0;
}
