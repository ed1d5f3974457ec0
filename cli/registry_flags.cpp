#include "cli/registry_flags.h"

#include "common/error.h"

namespace rayctl::cli {

void AddRegistryFlags(CLI::App* app, RegistryFlags& flags, const std::string& prefix,
                      const std::string& side) {
  app->add_option(prefix + "creds", flags.creds, "USER[:PASS] for the " + side)
      ->type_name("USER[:PASS]");
  app->add_flag(prefix + "tls-verify", flags.tls_verify,
                "Verify the " + side + "'s TLS certificate; =false also allows plain HTTP")
      ->default_str("true");
  app->add_option(prefix + "cert-dir", flags.cert_dir,
                  "Directory with ca.crt (and client.cert/client.key) for the " + side +
                      "; default /etc/docker/certs.d/HOST:PORT")
      ->type_name("DIR");
}

mirror::SideConfig MakeSideConfig(const RegistryFlags& flags, const std::string& prefix,
                                  const std::string& authfile, int retries) {
  std::vector<std::filesystem::path> files;
  if (!authfile.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(authfile, ec)) {
      throw InputError("--authfile " + authfile + ": no such file", "check the path");
    }
    files.emplace_back(authfile);
  } else {
    files = mirror::CredentialStore::DefaultAuthFiles();
  }
  mirror::SideConfig side{{}, std::nullopt, mirror::CredentialStore(files)};
  side.registry.tls_verify = flags.tls_verify;
  side.registry.cert_dir = flags.cert_dir;
  side.registry.retries = retries;
  side.registry.flag_prefix = prefix;
  if (!flags.creds.empty())
    side.credentials = mirror::ParseCredentialsFlag(flags.creds, prefix + "creds");
  return side;
}

}  // namespace rayctl::cli
