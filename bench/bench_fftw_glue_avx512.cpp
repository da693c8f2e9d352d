// The FFTW glue loops compiled for AVX-512 F/DQ/VL (bench_fftw_glue.h): DQ converts between
// int64 and double in vectors, as our AVX-512 backend does.
#include "bench_fftw_glue.h"

namespace fhe::bench {
FftwGlue fftw_glue_avx512() {
  return {glue_twist, glue_untwist_add};
}
}  // namespace fhe::bench
