#include "deploy/doctor/check.h"

#include <algorithm>

namespace rayctl::doctor {

const char* StatusName(Status status) {
  switch (status) {
    case Status::kPass:
      return "PASS";
    case Status::kWarn:
      return "WARN";
    case Status::kFail:
      return "FAIL";
  }
  return "?";
}

bool Report::ok() const {
  return Count(Status::kFail) == 0;
}

int Report::Count(Status status) const {
  return static_cast<int>(std::count_if(checks.begin(), checks.end(),
                                        [&](const CheckResult& c) { return c.status == status; }));
}

}  // namespace rayctl::doctor
