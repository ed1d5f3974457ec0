#include "common/error.h"

#include <cstring>

namespace rayctl {

SystemError::SystemError(const std::string& what, int err, std::string hint)
    : Error(what + ": " + std::strerror(err), std::move(hint)), errno_(err) {}

}  // namespace rayctl
