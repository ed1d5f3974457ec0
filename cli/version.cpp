// rayctl version: what was built, from what commit, with what, for which machine.
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/command.h"
#include "common/build_info.h"

namespace rayctl::cli {

void RegisterVersion(CommandContext& ctx) {
  ctx.Add("version", "Print version, commit, build type, compiler and target architecture",
          [&globals = ctx.globals]() -> int {
            const BuildInfo& info = GetBuildInfo();
            if (globals.json()) {
              nlohmann::json j = {{"version", info.version},
                                  {"git_commit", info.commit},
                                  {"build_type", info.build_type},
                                  {"compiler", info.compiler},
                                  {"os", "linux"},
                                  {"arch", CompiledArchitecture()}};
              std::cout << j.dump(2) << "\n";
            } else {
              std::cout << "rayctl " << info.version << "\n"
                        << "  git commit:  " << info.commit << "\n"
                        << "  build type:  " << info.build_type << "\n"
                        << "  compiler:    " << info.compiler << "\n"
                        << "  target:      linux/" << CompiledArchitecture() << "\n";
            }
            return 0;
          });
}

}  // namespace rayctl::cli
