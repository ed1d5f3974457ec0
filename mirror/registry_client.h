// A client of one registry speaking the OCI distribution API over common/http: the /v2/ ping
// (which picks https, or http when TLS verification is off and the registry speaks plain HTTP),
// authentication, manifests with the right Accept and Content-Type, digest checks, blob HEAD /
// GET / upload (monolithic PUT or PATCH chunks) / cross-repository mount, and retries with
// backoff on network errors, 408, 429 and 5xx honouring Retry-After. Thread-safe: one client
// serves every concurrent copy to or from its registry and shares their connections and tokens.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/http.h"
#include "mirror/auth.h"
#include "mirror/credentials.h"
#include "mirror/manifest.h"
#include "mirror/transport.h"

namespace rayctl::mirror {

struct RegistryOptions {
  bool tls_verify = true;          // false: unverified TLS, or plain HTTP if the registry speaks it
  std::filesystem::path cert_dir;  // ca.crt / *.crt, client.cert + client.key; empty: certs.d
  std::filesystem::path certs_d = "/etc/docker/certs.d";  // read as certs_d/HOST:PORT
  Credentials credentials;
  int retries = 3;
  int64_t chunk_size = 0;  // blobs larger than this go up in PATCH chunks of this size; 0: never
  // Flag prefix for hints: "--src-", "--dest-", or "--" (doctor).
  std::string flag_prefix = "--";
};

class RegistryClient {
 public:
  // `domain` as in a reference ("docker.io", "127.0.0.1:5000").
  RegistryClient(std::string domain, RegistryOptions options);

  const std::string& domain() const { return domain_; }
  const RegistryOptions& options() const { return options_; }
  // Requests for this repository ask for pull and push access (one token, not two).
  void AddPushRepository(const std::string& repository);

  // Connects and authenticates once; throws Error with a hint on TLS, HTTP or auth problems.
  void Ping();

  // nullopt when the registry says the manifest (or the repository) does not exist.
  std::optional<Manifest> GetManifest(const std::string& repository, const std::string& reference);
  std::optional<Digest> HeadManifest(const std::string& repository, const std::string& reference);
  // PUT by tag or digest with Content-Type = the manifest's media type.
  void PutManifest(const std::string& repository, const std::string& reference, const Manifest& m);

  bool HasBlob(const std::string& repository, const Descriptor& blob);
  std::unique_ptr<BlobReader> GetBlob(const std::string& repository, const Descriptor& blob);
  // Asks the registry to link `blob` from `from_repository`; false when it declines.
  bool MountBlob(const std::string& repository, const Descriptor& blob,
                 const std::string& from_repository);
  // Uploads exactly blob.size bytes pulled from `reader`; a throwing reader aborts the upload
  // and the upload session is cancelled.
  void UploadBlob(const std::string& repository, const Descriptor& blob, BlobReader& reader);

  int tokens_fetched() const { return auth_->tokens_fetched(); }

 private:
  std::vector<std::string> Scopes(const std::string& repository) const;
  std::string Url(const std::string& path);  // pings first: the scheme is known after
  std::string BaseUrl(const std::string& path) const;
  // Sends with auth, retrying transient failures; the body must be a string (replayable).
  http::Response Send(http::Request request, const std::vector<std::string>& scopes);
  std::unique_ptr<http::ResponseStream> Open(http::Request request,
                                             const std::vector<std::string>& scopes);
  // Sends a request whose body streams from a reader: not replayable, so a 401 or 5xx becomes
  // a TransientError for the caller to retry from the start.
  http::Response SendOnce(http::Request request, const std::vector<std::string>& scopes);
  void Authorize(http::Request& request, const std::vector<std::string>& scopes);
  [[noreturn]] void ThrowTransport(const http::TransportError& e) const;
  [[noreturn]] void ThrowStatus(const http::Response& r, const std::string& what) const;
  std::string StartUpload(const std::string& repository, const std::vector<std::string>& scopes);
  void CancelUpload(const std::string& location, const std::vector<std::string>& scopes);

  std::string domain_;
  std::string api_host_;
  RegistryOptions options_;
  std::unique_ptr<http::Client> http_;
  std::unique_ptr<Authenticator> auth_;
  mutable std::mutex mu_;
  std::mutex ping_mu_;
  bool pinged_ = false;
  std::string scheme_ = "https";
  std::set<std::string> push_repositories_;
};

// "HTTP 404 MANIFEST_UNKNOWN: manifest unknown" from a registry's error body.
std::string DescribeRegistryError(const http::Response& r);

}  // namespace rayctl::mirror
