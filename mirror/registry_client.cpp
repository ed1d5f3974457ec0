#include "mirror/registry_client.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace rayctl::mirror {
namespace {

constexpr size_t kMaxManifestBytes = 4 << 20;

bool IsRetryableStatus(long s) {
  return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

void Backoff(int attempt, const std::optional<std::string>& retry_after) {
  auto delay = std::chrono::milliseconds(200 << std::min(attempt, 6));
  if (retry_after) {
    try {
      long seconds = std::stol(*retry_after);
      if (seconds >= 0) delay = std::chrono::seconds(std::min(seconds, 60L));
    } catch (const std::exception&) {
      // An HTTP date; the exponential delay will do.
    }
  }
  spdlog::debug("retrying in {} ms", delay.count());
  std::this_thread::sleep_for(delay);
}

std::string ReadWholeFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw InputError("cannot read " + p.string(), "check its permissions");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

http::TlsConfig TlsFor(const std::string& domain, const RegistryOptions& o) {
  http::TlsConfig tls;
  tls.verify = o.tls_verify;
  std::filesystem::path dir = o.cert_dir.empty() ? o.certs_d / domain : o.cert_dir;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    if (!o.cert_dir.empty()) {
      throw InputError(o.flag_prefix + "cert-dir " + o.cert_dir.string() + ": no such directory",
                       "give a directory holding ca.crt (and client.cert / client.key)");
    }
    return tls;
  }
  std::vector<std::filesystem::path> entries;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& p : entries) {
    if (p.extension() == ".crt") {
      tls.extra_ca_pem += ReadWholeFile(p) + "\n";
    } else if (p.extension() == ".cert") {
      auto key = p;
      key.replace_extension(".key");
      if (!std::filesystem::exists(key, ec)) {
        throw InputError("client certificate " + p.string() + " has no key " + key.string());
      }
      tls.client_cert_file = p.string();
      tls.client_key_file = key.string();
    }
  }
  return tls;
}

class StreamedBlob : public BlobReader {
 public:
  StreamedBlob(std::unique_ptr<http::ResponseStream> stream, std::string what)
      : stream_(std::move(stream)), what_(std::move(what)) {}
  size_t Read(char* buf, size_t capacity) override {
    try {
      return stream_->Read(buf, capacity);
    } catch (const http::TransportError& e) {
      throw TransientError("reading " + what_ + ": " + e.what());
    }
  }

 private:
  std::unique_ptr<http::ResponseStream> stream_;
  std::string what_;
};

std::string WithQuery(const std::string& url, const std::string& query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

}  // namespace

std::string DescribeRegistryError(const http::Response& r) {
  std::string out = "HTTP " + std::to_string(r.status);
  try {
    auto j = nlohmann::json::parse(r.body);
    if (j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()) {
      const auto& e = j["errors"][0];
      out += " " + e.value("code", "") + ": " + e.value("message", "");
      if (e.contains("detail") && e["detail"].is_string() &&
          !e["detail"].get<std::string>().empty())
        out += " (" + e["detail"].get<std::string>() + ")";
    }
  } catch (const std::exception&) {
    // Not a registry error document; the status says enough.
  }
  return out;
}

RegistryClient::RegistryClient(std::string domain, RegistryOptions options)
    : domain_(std::move(domain)),
      api_host_(domain_ == "docker.io" ? "registry-1.docker.io" : domain_),
      options_(std::move(options)),
      http_(std::make_unique<http::Client>(TlsFor(domain_, options_))),
      auth_(std::make_unique<Authenticator>(*http_, domain_, options_.credentials,
                                            options_.flag_prefix + "creds")) {}

void RegistryClient::AddPushRepository(const std::string& repository) {
  std::lock_guard lock(mu_);
  push_repositories_.insert(repository);
}

std::vector<std::string> RegistryClient::Scopes(const std::string& repository) const {
  std::lock_guard lock(mu_);
  return {RepositoryScope(repository, push_repositories_.count(repository) ? "pull,push" : "pull")};
}

std::string RegistryClient::BaseUrl(const std::string& path) const {
  std::lock_guard lock(mu_);
  return scheme_ + "://" + api_host_ + path;
}

std::string RegistryClient::Url(const std::string& path) {
  Ping();  // decides the scheme
  return BaseUrl(path);
}

void RegistryClient::ThrowTransport(const http::TransportError& e) const {
  const std::string& p = options_.flag_prefix;
  if (e.plain_http_peer()) {
    throw Error("registry " + domain_ + " speaks plain HTTP, not HTTPS",
                "add " + p + "tls-verify=false to allow plain HTTP for it");
  }
  std::string what = e.what();
  if (e.tls_problem() && (what.find("alert bad certificate") != std::string::npos ||
                          what.find("alert certificate required") != std::string::npos)) {
    throw Error(
        "registry " + domain_ + " refused our TLS client certificate: " + what,
        "put client.cert and client.key, signed by a CA it trusts, in " + p + "cert-dir DIR");
  }
  if (e.tls_problem()) {
    throw Error("TLS connection to registry " + domain_ + " failed: " + e.what(),
                "if it uses a private CA, pass it with " + p +
                    "cert-dir DIR (DIR/ca.crt) or put it in " +
                    (options_.certs_d / domain_ / "ca.crt").string() + "; " + p +
                    "tls-verify=false turns verification off");
  }
  throw TransientError(std::string("cannot reach registry ") + domain_ + ": " + e.what(),
                       "check the address and that the registry is running");
}

void RegistryClient::ThrowStatus(const http::Response& r, const std::string& what) const {
  std::string detail = what + ": " + DescribeRegistryError(r);
  if (r.status == 401) {
    detail += options_.credentials.empty() ? " (authentication required)"
                                           : " (the credentials were rejected)";
    throw Error(detail, options_.credentials.empty()
                            ? "the registry needs credentials: give them with " +
                                  options_.flag_prefix + "creds USER:PASSWORD or an auth file"
                            : "check " + options_.flag_prefix +
                                  "creds or the auth file's entry for " + domain_);
  }
  if (r.status == 403) throw Error(detail, "the credentials lack the permission for this");
  if (IsRetryableStatus(r.status)) throw TransientError(detail);
  throw Error(detail);
}

void RegistryClient::Ping() {
  std::lock_guard ping_lock(ping_mu_);
  if (pinged_) return;
  http::Response r;
  for (int attempt = 0;; ++attempt) {
    try {
      r = http_->Send({"GET", BaseUrl("/v2/"), {}, {}, {}, -1, false});
    } catch (const http::TransportError& e) {
      bool fell_back = false;
      {
        std::lock_guard lock(mu_);
        if (!options_.tls_verify && scheme_ == "https" &&
            (e.plain_http_peer() || e.tls_problem())) {
          // Verification off also allows plain HTTP, as with docker's insecure registries.
          scheme_ = "http";
          fell_back = true;
        }
      }
      if (fell_back) {
        --attempt;
        continue;
      }
      if (e.tls_problem() || attempt >= options_.retries) ThrowTransport(e);
      Backoff(attempt, std::nullopt);
      continue;
    }
    if (IsRetryableStatus(r.status) && attempt < options_.retries) {
      Backoff(attempt, r.Header("retry-after"));
      continue;
    }
    break;
  }
  if (r.status == 401) {
    auth_->SetChallenge(r);
  } else if (r.status != 200) {
    throw Error(
        domain_ + " does not answer as a registry: GET /v2/ gave HTTP " + std::to_string(r.status),
        "check the host and port");
  }
  spdlog::debug("registry {} speaks {}{}", domain_, BaseUrl("").substr(0, 5),
                auth_->HasChallenge() ? " and wants auth" : "");
  pinged_ = true;
}

void RegistryClient::Authorize(http::Request& request, const std::vector<std::string>& scopes) {
  std::erase_if(request.headers, [](const auto& h) { return h.first == "Authorization"; });
  std::string value = auth_->Authorization(scopes);
  if (!value.empty()) request.headers.emplace_back("Authorization", value);
}

http::Response RegistryClient::Send(http::Request request, const std::vector<std::string>& scopes) {
  Ping();
  int auth_rounds = 0;
  for (int attempt = 0;;) {
    Authorize(request, scopes);
    http::Response r;
    try {
      r = http_->Send(request);
    } catch (const http::TransportError& e) {
      if (e.tls_problem() || attempt >= options_.retries) ThrowTransport(e);
      Backoff(attempt++, std::nullopt);
      continue;
    }
    if (r.status == 401 && auth_rounds++ < 3 && auth_->Reauthorize(r, scopes)) continue;
    if (IsRetryableStatus(r.status) && attempt < options_.retries) {
      Backoff(attempt++, r.Header("retry-after"));
      continue;
    }
    return r;
  }
}

std::unique_ptr<http::ResponseStream> RegistryClient::Open(http::Request request,
                                                           const std::vector<std::string>& scopes) {
  Ping();
  int auth_rounds = 0;
  for (int attempt = 0;;) {
    Authorize(request, scopes);
    std::unique_ptr<http::ResponseStream> s;
    try {
      s = http_->Open(request);
    } catch (const http::TransportError& e) {
      if (e.tls_problem() || attempt >= options_.retries) ThrowTransport(e);
      Backoff(attempt++, std::nullopt);
      continue;
    }
    long status = s->response().status;
    if (status == 401 && auth_rounds++ < 3 && auth_->Reauthorize(s->response(), scopes)) continue;
    if (IsRetryableStatus(status) && attempt < options_.retries) {
      Backoff(attempt++, s->response().Header("retry-after"));
      continue;
    }
    return s;
  }
}

http::Response RegistryClient::SendOnce(http::Request request,
                                        const std::vector<std::string>& scopes) {
  Ping();
  Authorize(request, scopes);
  http::Response r;
  try {
    r = http_->Send(request);
  } catch (const http::TransportError& e) {
    ThrowTransport(e);
  }
  if (r.status == 401) {
    auth_->Reauthorize(r, scopes);
    throw TransientError("registry " + domain_ +
                         " rejected the token during an upload; starting that blob again");
  }
  return r;
}

std::optional<Manifest> RegistryClient::GetManifest(const std::string& repository,
                                                    const std::string& reference) {
  http::Request req{"GET", Url("/v2/" + repository + "/manifests/" + reference), {}, {}, {}, -1,
                    true};
  req.headers.emplace_back("Accept", ManifestAcceptHeader());
  http::Response r = Send(req, Scopes(repository));
  std::string name = domain_ + "/" + repository +
                     (reference.find(':') != std::string::npos ? "@" : ":") + reference;
  if (r.status == 404) return std::nullopt;
  if (r.status != 200) ThrowStatus(r, "reading manifest " + name);
  if (r.body.size() > kMaxManifestBytes) throw Error("manifest " + name + " is larger than 4 MiB");
  Manifest m = Manifest::Parse(std::move(r.body), r.Header("content-type").value_or(""), name);
  if (Digest::Valid(reference) && Digest::Parse(reference) != m.digest()) {
    throw Error(
        "manifest " + name + " has digest " + m.digest().String() + ", not the one asked for",
        "the registry returned other bytes than the digest names; do not trust it");
  }
  if (auto header = r.Header("docker-content-digest"); header && Digest::Valid(*header)) {
    Digest claimed = Digest::Parse(*header);
    if (claimed.algorithm == "sha256" && claimed != m.digest()) {
      throw Error("manifest " + name + ": Docker-Content-Digest says " + *header +
                  " but the bytes hash to " + m.digest().String());
    }
  }
  return m;
}

std::optional<Digest> RegistryClient::HeadManifest(const std::string& repository,
                                                   const std::string& reference) {
  http::Request req{"HEAD", Url("/v2/" + repository + "/manifests/" + reference), {}, {}, {}, -1,
                    true};
  req.headers.emplace_back("Accept", ManifestAcceptHeader());
  http::Response r = Send(req, Scopes(repository));
  if (r.status == 404) return std::nullopt;
  if (r.status != 200)
    ThrowStatus(r, "checking manifest " + domain_ + "/" + repository + ":" + reference);
  if (auto header = r.Header("docker-content-digest"); header && Digest::Valid(*header))
    return Digest::Parse(*header);
  // No digest header: ask for the bytes and hash them.
  auto m = GetManifest(repository, reference);
  if (!m) return std::nullopt;
  return m->digest();
}

void RegistryClient::PutManifest(const std::string& repository, const std::string& reference,
                                 const Manifest& m) {
  http::Request req{
      "PUT", Url("/v2/" + repository + "/manifests/" + reference), {}, m.bytes(), {}, -1, false};
  req.headers.emplace_back("Content-Type", m.media_type());
  http::Response r = Send(req, Scopes(repository));
  std::string name = domain_ + "/" + repository +
                     (reference.find(':') != std::string::npos ? "@" : ":") + reference;
  if (r.status != 201 && r.status != 200) ThrowStatus(r, "writing manifest " + name);
  if (auto header = r.Header("docker-content-digest");
      header && Digest::Valid(*header) && Digest::Parse(*header) != m.digest()) {
    throw Error("writing manifest " + name + ": the registry stored it as " + *header + ", not " +
                m.digest().String());
  }
}

bool RegistryClient::HasBlob(const std::string& repository, const Descriptor& blob) {
  http::Request req{
      "HEAD", Url("/v2/" + repository + "/blobs/" + blob.digest.String()), {}, {}, {}, -1, true};
  http::Response r = Send(req, Scopes(repository));
  if (r.status == 404) return false;
  if (r.status != 200)
    ThrowStatus(r, "checking blob " + blob.digest.String() + " in " + domain_ + "/" + repository);
  return true;
}

std::unique_ptr<BlobReader> RegistryClient::GetBlob(const std::string& repository,
                                                    const Descriptor& blob) {
  std::string what = "blob " + blob.digest.String() + " of " + domain_ + "/" + repository;
  http::Request req{
      "GET", Url("/v2/" + repository + "/blobs/" + blob.digest.String()), {}, {}, {}, -1, true};
  auto stream = Open(req, Scopes(repository));
  const auto& r = stream->response();
  if (r.status == 404) {
    throw Error(what + " does not exist (" + DescribeRegistryError(r) + ")",
                "the source image is incomplete; push it again");
  }
  if (r.status != 200) ThrowStatus(r, "reading " + what);
  return std::make_unique<StreamedBlob>(std::move(stream), what);
}

bool RegistryClient::MountBlob(const std::string& repository, const Descriptor& blob,
                               const std::string& from_repository) {
  std::vector<std::string> scopes = Scopes(repository);
  scopes.push_back(RepositoryScope(from_repository, "pull"));
  http::Request req{
      "POST",
      Url("/v2/" + repository + "/blobs/uploads/?mount=" + http::QueryEscape(blob.digest.String()) +
          "&from=" + http::QueryEscape(from_repository)),
      {},
      {},
      {},
      -1,
      false};
  http::Response r = Send(req, scopes);
  if (r.status == 201) return true;
  if (r.status == 202) {
    // The registry opened an upload session instead; close it, the caller uploads normally.
    if (auto loc = r.Header("location")) CancelUpload(http::ResolveUrl(req.url, *loc), scopes);
  } else {
    spdlog::debug("mount of {} from {} declined: {}", blob.digest.String(), from_repository,
                  DescribeRegistryError(r));
  }
  return false;
}

std::string RegistryClient::StartUpload(const std::string& repository,
                                        const std::vector<std::string>& scopes) {
  http::Request req{"POST", Url("/v2/" + repository + "/blobs/uploads/"), {}, {}, {}, -1, false};
  http::Response r = Send(req, scopes);
  if (r.status != 202) ThrowStatus(r, "starting an upload to " + domain_ + "/" + repository);
  auto loc = r.Header("location");
  if (!loc) throw Error("registry " + domain_ + " started an upload without a Location");
  return http::ResolveUrl(req.url, *loc);
}

void RegistryClient::CancelUpload(const std::string& location,
                                  const std::vector<std::string>& scopes) {
  try {
    http::Request req{"DELETE", location, {}, {}, {}, -1, false};
    Authorize(req, scopes);
    http_->Send(req);
  } catch (const std::exception& e) {
    spdlog::debug("cancelling upload: {}", e.what());
  }
}

void RegistryClient::UploadBlob(const std::string& repository, const Descriptor& blob,
                                BlobReader& reader) {
  std::vector<std::string> scopes = Scopes(repository);
  std::string what = "uploading blob " + blob.digest.String() + " to " + domain_ + "/" + repository;
  std::string location = StartUpload(repository, scopes);
  try {
    int64_t sent = 0;
    auto body_of = [&](int64_t length) {
      auto remaining = std::make_shared<int64_t>(length);
      return [&reader, remaining, &sent, what](char* buf, size_t cap) -> size_t {
        if (*remaining == 0) return 0;
        size_t n = reader.Read(buf, static_cast<size_t>(std::min<int64_t>(cap, *remaining)));
        if (n == 0) throw Error(what + ": the source ended early");
        *remaining -= static_cast<int64_t>(n);
        sent += static_cast<int64_t>(n);
        return n;
      };
    };
    const int64_t chunk = options_.chunk_size;
    if (chunk > 0 && blob.size > chunk) {
      while (sent < blob.size) {
        int64_t length = std::min(chunk, blob.size - sent);
        http::Request patch{"PATCH", location, {}, {}, body_of(length), length, false};
        patch.headers.emplace_back("Content-Type", "application/octet-stream");
        patch.headers.emplace_back("Content-Range",
                                   std::to_string(sent) + "-" + std::to_string(sent + length - 1));
        http::Response r = SendOnce(patch, scopes);
        if (r.status != 202) ThrowStatus(r, what);
        auto loc = r.Header("location");
        if (!loc) throw Error(what + ": the registry answered a chunk without a Location");
        location = http::ResolveUrl(location, *loc);  // always the newest Location
      }
      http::Request put{
          "PUT", WithQuery(location, "digest=" + http::QueryEscape(blob.digest.String())),
          {},    {},
          {},    -1,
          false};
      put.headers.emplace_back("Content-Type", "application/octet-stream");
      http::Response r = SendOnce(put, scopes);
      if (r.status != 201) ThrowStatus(r, what);
    } else {
      http::Request put{"PUT",
                        WithQuery(location, "digest=" + http::QueryEscape(blob.digest.String())),
                        {},
                        {},
                        body_of(blob.size),
                        blob.size,
                        false};
      put.headers.emplace_back("Content-Type", "application/octet-stream");
      http::Response r = SendOnce(put, scopes);
      if (r.status != 201) ThrowStatus(r, what);
      if (auto header = r.Header("docker-content-digest");
          header && *header != blob.digest.String()) {
        throw Error(what + ": the registry stored " + *header);
      }
    }
  } catch (...) {
    CancelUpload(location, scopes);
    throw;
  }
}

}  // namespace rayctl::mirror
