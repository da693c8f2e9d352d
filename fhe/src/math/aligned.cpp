#include "fhe/aligned.h"

#include <cstring>

namespace fhe {

void secure_zero(void* p, std::size_t n) noexcept {
  // explicit_bzero is not elided by the optimizer (glibc >= 2.25).
  explicit_bzero(p, n);
}

}  // namespace fhe
