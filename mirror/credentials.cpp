#include "mirror/credentials.h"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "common/subprocess.h"

namespace rayctl::mirror {
namespace {

// "https://index.docker.io/v1/" -> "docker.io"; "http://host:5000/x" -> "host:5000".
std::string NormalizeAuthKey(std::string key) {
  if (auto p = key.find("://"); p != std::string::npos) key = key.substr(p + 3);
  if (auto p = key.find('/'); p != std::string::npos) key = key.substr(0, p);
  if (key == "index.docker.io" || key == "registry-1.docker.io") key = "docker.io";
  return key;
}

Credentials FromHelper(const std::string& helper, const std::string& domain) {
  std::string program = "docker-credential-" + helper;
  if (!FindExecutable(program)) {
    throw Error("credential helper " + program + " for " + domain + " is not on PATH",
                "install it, or give credentials with --src-creds / --dest-creds");
  }
  std::string server = domain == "docker.io" ? "https://index.docker.io/v1/" : domain;
  ProcessOptions opts;
  opts.input = server;
  opts.timeout = std::chrono::seconds(60);
  ProcessResult r = RunProcess({program, "get"}, opts);
  if (r.exit_code != 0) {
    // The protocol's "not found" answer is not an error: the registry may allow anonymous access.
    if (r.out.find("credentials not found") != std::string::npos ||
        r.err.find("credentials not found") != std::string::npos)
      return {};
    throw Error("credential helper " + program + " failed for " + domain + " (exit " +
                    std::to_string(r.exit_code) + ")",
                "run '" + program + " get' by hand to see why");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(r.out);
  } catch (const std::exception&) {
    throw Error("credential helper " + program + " answered something that is not JSON");
  }
  Credentials c;
  std::string user = j.value("Username", "");
  std::string secret = j.value("Secret", "");
  if (user == "<token>") {
    c.identity_token = secret;
  } else {
    c.username = user;
    c.password = secret;
  }
  return c;
}

}  // namespace

Credentials ParseCredentialsFlag(std::string_view text, const std::string& flag) {
  if (text.empty()) throw InputError(flag + " is empty", "write " + flag + " USER:PASSWORD");
  Credentials c;
  auto colon = text.find(':');
  c.username = text.substr(0, colon);
  if (colon != std::string_view::npos) c.password = text.substr(colon + 1);
  if (c.username.empty())
    throw InputError(flag + " has no user name", "write " + flag + " USER:PASSWORD");
  return c;
}

CredentialStore::CredentialStore(std::vector<std::filesystem::path> auth_files)
    : files_(std::move(auth_files)) {}

std::vector<std::filesystem::path> CredentialStore::DefaultAuthFiles() {
  std::vector<std::filesystem::path> out;
  if (const char* f = std::getenv("REGISTRY_AUTH_FILE"); f && *f) out.emplace_back(f);
  if (const char* d = std::getenv("DOCKER_CONFIG"); d && *d) {
    out.push_back(std::filesystem::path(d) / "config.json");
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    out.push_back(std::filesystem::path(home) / ".docker" / "config.json");
  }
  return out;
}

Credentials CredentialStore::Lookup(const std::string& domain) const {
  for (const auto& file : files_) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) continue;
    std::ifstream in(file);
    if (!in) throw InputError("cannot read auth file " + file.string(), "check its permissions");
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      throw InputError("auth file " + file.string() + " is not valid JSON",
                       "fix or remove it, or pass --authfile");
    }
    if (!j.is_object()) continue;
    if (j.contains("credHelpers") && j["credHelpers"].is_object()) {
      for (const auto& [key, helper] : j["credHelpers"].items()) {
        if (NormalizeAuthKey(key) == domain && helper.is_string())
          return FromHelper(helper.get<std::string>(), domain);
      }
    }
    if (j.contains("auths") && j["auths"].is_object()) {
      for (const auto& [key, entry] : j["auths"].items()) {
        if (NormalizeAuthKey(key) != domain || !entry.is_object()) continue;
        Credentials c;
        if (entry.contains("auth") && entry["auth"].is_string() &&
            !entry["auth"].get<std::string>().empty()) {
          std::string decoded = Base64Decode(entry["auth"].get<std::string>());
          auto colon = decoded.find(':');
          if (colon == std::string::npos) {
            throw InputError("auth file " + file.string() + ": the \"auth\" entry for " + key +
                             " is not base64 of user:password");
          }
          c.username = decoded.substr(0, colon);
          c.password = decoded.substr(colon + 1);
        } else {
          c.username = entry.value("username", "");
          c.password = entry.value("password", "");
        }
        c.identity_token = entry.value("identitytoken", "");
        if (!c.empty()) return c;
      }
    }
    if (j.contains("credsStore") && j["credsStore"].is_string()) {
      Credentials c = FromHelper(j["credsStore"].get<std::string>(), domain);
      if (!c.empty()) return c;
    }
  }
  return {};
}

std::string Base64Encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(n);
  return out;
}

std::string Base64Decode(std::string_view data) {
  std::string in(data);
  while (!in.empty() && (in.back() == '\n' || in.back() == '\r'))
    in.pop_back();
  if (in.size() % 4 != 0) throw InputError("malformed base64");
  std::string out(in.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) throw InputError("malformed base64");
  size_t pad = 0;
  if (!in.empty() && in.back() == '=') ++pad;
  if (in.size() > 1 && in[in.size() - 2] == '=') ++pad;
  out.resize(n - pad);
  return out;
}

std::string BasicAuthValue(const Credentials& creds) {
  return "Basic " + Base64Encode(creds.username + ":" + creds.password);
}

}  // namespace rayctl::mirror
