// The FFTW glue loops compiled for AVX2 + FMA (bench_fftw_glue.h).
#include "bench_fftw_glue.h"

namespace fhe::bench {
FftwGlue fftw_glue_avx2() {
  return {glue_twist, glue_untwist_add};
}
}  // namespace fhe::bench
