// The registry-access flags shared by `rayctl mirror` (per side: --src-*, --dest-*) and
// `rayctl doctor --image` (no prefix): credentials, TLS verification and certificate directory,
// turned into the mirror library's SideConfig.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "mirror/transports.h"

namespace rayctl::cli {

struct RegistryFlags {
  std::string creds;
  bool tls_verify = true;
  std::string cert_dir;
};

// Adds PREFIXcreds, PREFIXtls-verify, PREFIXcert-dir; `side` reads "source registry".
void AddRegistryFlags(CLI::App* app, RegistryFlags& flags, const std::string& prefix,
                      const std::string& side);

// Credentials: the flag, else --authfile, else $REGISTRY_AUTH_FILE and ~/.docker/config.json.
mirror::SideConfig MakeSideConfig(const RegistryFlags& flags, const std::string& prefix,
                                  const std::string& authfile, int retries);

}  // namespace rayctl::cli
