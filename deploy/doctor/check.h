// The vocabulary of `rayctl doctor`: a check's result is PASS, WARN or FAIL with a one-line
// message saying what was found and a one-line hint saying how to fix it. A report is ok unless
// some check FAILed. Plain values; no I/O.
#pragma once

#include <string>
#include <vector>

namespace rayctl::doctor {

enum class Status { kPass, kWarn, kFail };

const char* StatusName(Status status);  // "PASS", "WARN", "FAIL"

struct CheckResult {
  std::string name;  // stable identifier: "architecture", "ephemeral-storage", ...
  Status status = Status::kPass;
  std::string message;  // what was found
  std::string hint;     // how to fix it; empty for PASS
};

struct Report {
  std::vector<CheckResult> checks;

  bool ok() const;
  int Count(Status status) const;
};

}  // namespace rayctl::doctor
