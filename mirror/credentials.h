// Registry credentials and where they come from: `--src-creds`/`--dest-creds USER[:PASS]`, then
// an auth file (`--authfile`, else $REGISTRY_AUTH_FILE, then ~/.docker/config.json) with `auths`
// (`auth` or username/password, `identitytoken`), `credHelpers` and `credsStore` (run as
// `docker-credential-NAME get`). Secrets are never logged or put in error messages.
// A CredentialStore is immutable after construction; Lookup is thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace rayctl::mirror {

struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;  // an OAuth2 refresh token (docker login to some registries)

  bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

// "USER[:PASS]" as given to --src-creds. `flag` names the flag in error messages.
Credentials ParseCredentialsFlag(std::string_view text, const std::string& flag);

class CredentialStore {
 public:
  // Files searched in order; missing files are skipped, unreadable or malformed ones are errors.
  explicit CredentialStore(std::vector<std::filesystem::path> auth_files = {});

  // The default search list: $REGISTRY_AUTH_FILE, then $DOCKER_CONFIG/config.json or
  // ~/.docker/config.json. The CLI passes only the --authfile when one is given.
  static std::vector<std::filesystem::path> DefaultAuthFiles();

  // Credentials for a registry domain ("docker.io", "127.0.0.1:5000"); empty when none.
  Credentials Lookup(const std::string& domain) const;

 private:
  std::vector<std::filesystem::path> files_;
};

// Base64 of "user:password" for a Basic Authorization header.
std::string BasicAuthValue(const Credentials& creds);
std::string Base64Encode(std::string_view data);
std::string Base64Decode(std::string_view data);  // throws InputError when malformed

}  // namespace rayctl::mirror
