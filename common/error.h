// The error vocabulary of rayctl. Libraries throw these at the point of failure with a message a
// user can act on; only cli/main.cpp catches them, prints `error: ...` / `hint: ...` and exits
// with the carried exit code. Thread-safe: the types are immutable values.
#pragma once

#include <stdexcept>
#include <string>

namespace rayctl {

// Process exit codes of the CLI contract (DESIGN.md §2).
enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,  // the operation failed: copy failed, job failed, doctor found a FAIL
  kExitUsage = 2,   // bad usage or bad input
};

// Base of every rayctl error: a one-line message, an optional one-line hint, an exit code.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, std::string hint = {}, int exit_code = kExitFailed)
      : std::runtime_error(message), hint_(std::move(hint)), exit_code_(exit_code) {}

  const std::string& hint() const { return hint_; }
  int exit_code() const { return exit_code_; }

 private:
  std::string hint_;
  int exit_code_;
};

// Bad usage or bad input from the user (flags, references, values, files): exit code 2.
class InputError : public Error {
 public:
  explicit InputError(const std::string& message, std::string hint = {})
      : Error(message, std::move(hint), kExitUsage) {}
};

// An operating-system call failed; the message names the call's object and errno's text.
class SystemError : public Error {
 public:
  SystemError(const std::string& what, int err, std::string hint = {});
  int error_number() const { return errno_; }

 private:
  int errno_;
};

}  // namespace rayctl
