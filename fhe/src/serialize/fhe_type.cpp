// The TFHE-rs layer's view of FheType: errors are FormatError like every other input problem.
#include <stdexcept>

#include "fhe/tfhers.h"

namespace fhe::tfhers {

FheType parse_fhe_type(const std::string& s) {
  try {
    return fhe::parse_fhe_type(s);
  } catch (const std::invalid_argument& e) {
    throw FormatError(e.what());
  }
}

}  // namespace fhe::tfhers
