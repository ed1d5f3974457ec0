// Running another program to completion: argv (no shell), optional stdin, captured stdout and
// stderr, exit status, an optional timeout after which the child's process group is killed.
// Each call is independent and safe to make from several threads.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rayctl {

struct ProcessOptions {
  std::string input;                         // written to the child's stdin
  std::optional<std::filesystem::path> cwd;  // working directory
  std::map<std::string, std::string> env;    // set or override these variables
  std::vector<std::string> unset_env;        // remove these variables
  std::chrono::milliseconds timeout{0};      // 0: wait for ever
};

struct ProcessResult {
  int exit_code = -1;  // the exit status, or -1 when killed by a signal
  int signal = 0;      // the terminating signal, 0 if it exited
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Throws SystemError if the program cannot be started (not found, not executable).
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// The first executable called `name` on $PATH, if any.
std::optional<std::filesystem::path> FindExecutable(const std::string& name);

// The absolute path of the running executable.
std::filesystem::path SelfExecutablePath();

}  // namespace rayctl
