#include "common/http.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "common/curl_library.h"
#include "common/text.h"

namespace rayctl::http {
namespace {

bool IsTlsCode(CURLcode c) {
  switch (c) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
      return true;
    default:
      return false;
  }
}

constexpr size_t kMaxErrorBody = 1 << 20;
constexpr int kMaxRedirects = 10;

}  // namespace

// ---- handles -----------------------------------------------------------------------------------

// An easy handle and the multi handle that drives it. The multi handle owns the connection cache,
// so keeping the pair together is what makes connections survive from one request to the next.
struct Handle {
  CURL* easy = nullptr;
  CURLM* multi = nullptr;
  Handle() {
    easy = Curl().easy_init();
    multi = Curl().multi_init();
    if (easy == nullptr || multi == nullptr) throw Error("cannot initialise libcurl");
    Curl().multi_setopt(multi, CURLMOPT_MAXCONNECTS, 4L);
  }
  ~Handle() {
    if (easy) Curl().easy_cleanup(easy);
    if (multi) Curl().multi_cleanup(multi);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
};

class HandlePool {
 public:
  std::unique_ptr<Handle> Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto h = std::move(idle_.back());
        idle_.pop_back();
        return h;
      }
    }
    return std::make_unique<Handle>();
  }
  void Release(std::unique_ptr<Handle> h) {
    std::lock_guard lock(mu_);
    if (idle_.size() < 32) idle_.push_back(std::move(h));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

// ---- one transfer ------------------------------------------------------------------------------

struct ResponseStream::State {
  std::shared_ptr<HandlePool> pool;
  std::unique_ptr<Handle> handle;
  curl_slist* header_list = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  Response response;
  bool status_seen = false;  // a final (non-1xx) status line arrived
  bool headers_done = false;
  bool done = false;
  bool attached = false;
  CURLcode result = CURLE_OK;
  std::exception_ptr error;  // thrown by a body source; rethrown to the caller

  // Request body.
  BodySource source;
  std::string_view body;
  size_t body_offset = 0;

  // Response body: everything into response.body (Send), or into the reader's buffer (Read).
  bool capture_all = false;
  bool waiting_for_headers = false;
  bool paused = false;
  char* target = nullptr;
  size_t target_capacity = 0;
  size_t target_filled = 0;
  std::vector<char> overflow;
  size_t overflow_pos = 0;

  ~State() { Detach(); }

  void Detach() {
    if (handle && attached) Curl().multi_remove_handle(handle->multi, handle->easy);
    attached = false;
    if (header_list) Curl().slist_free_all(header_list);
    header_list = nullptr;
    if (handle && pool) pool->Release(std::move(handle));
  }

  bool Success() const { return response.status >= 200 && response.status < 300; }

  static size_t OnHeader(char* data, size_t size, size_t n, void* user) {
    auto* s = static_cast<State*>(user);
    std::string_view line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
      // A new response (after 100 Continue or an auth round): forget earlier headers.
      s->response.headers.clear();
      auto sp = line.find(' ');
      long code =
          sp == std::string_view::npos ? 0 : std::atol(std::string(line.substr(sp + 1, 3)).c_str());
      s->response.status = code;
      s->status_seen = code >= 200;
      return size * n;
    }
    std::string text = TrimAsciiSpace(line);
    if (text.empty()) {
      if (s->status_seen) s->headers_done = true;
      return size * n;
    }
    auto colon = text.find(':');
    if (colon != std::string::npos) {
      s->response.headers.emplace_back(AsciiLower(text.substr(0, colon)),
                                       TrimAsciiSpace(std::string_view(text).substr(colon + 1)));
    }
    return size * n;
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* user) {
    auto* s = static_cast<State*>(user);
    size_t len = size * n;
    s->headers_done = true;
    if (!s->Success() || s->capture_all) {
      if (s->capture_all || s->response.body.size() < kMaxErrorBody)
        s->response.body.append(data, len);
      return len;
    }
    // Streaming: bytes go straight into the reader's buffer. When it is full, the transfer
    // pauses (libcurl keeps the chunk and hands it over again on unpause), so at most the tail
    // of one chunk is ever held here and memory stays flat whatever the blob's size.
    if (s->target == nullptr || s->target_filled == s->target_capacity) {
      s->paused = true;
      return CURL_WRITEFUNC_PAUSE;
    }
    size_t direct = std::min(len, s->target_capacity - s->target_filled);
    std::memcpy(s->target + s->target_filled, data, direct);
    s->target_filled += direct;
    if (direct < len) s->overflow.insert(s->overflow.end(), data + direct, data + len);
    return len;
  }

  static size_t OnRead(char* buf, size_t size, size_t n, void* user) {
    auto* s = static_cast<State*>(user);
    size_t cap = size * n;
    if (s->source) {
      try {
        return s->source(buf, cap);
      } catch (...) {
        s->error = std::current_exception();
        return CURL_READFUNC_ABORT;
      }
    }
    size_t len = std::min(cap, s->body.size() - s->body_offset);
    std::memcpy(buf, s->body.data() + s->body_offset, len);
    s->body_offset += len;
    return len;
  }

  // Runs the transfer a little; false once it has finished.
  bool Step() {
    if (done) return false;
    int running = 0;
    CURLMcode mc = Curl().multi_perform(handle->multi, &running);
    if (mc != CURLM_OK) throw Error(std::string("libcurl: ") + Curl().multi_strerror(mc));
    int left = 0;
    while (CURLMsg* msg = Curl().multi_info_read(handle->multi, &left)) {
      if (msg->msg == CURLMSG_DONE) {
        result = msg->data.result;
        done = true;
      }
    }
    if (done) return false;
    bool progressed = (target != nullptr && target_filled > 0) || !overflow.empty() ||
                      (waiting_for_headers && headers_done);
    if (!progressed) Curl().multi_poll(handle->multi, nullptr, 0, 1000, nullptr);
    return true;
  }

  void ThrowIfFailed() {
    if (!done || result == CURLE_OK) return;
    if (error) std::rethrow_exception(error);
    std::string detail = error_buffer[0] ? error_buffer : Curl().easy_strerror(result);
    bool plain_http = result == CURLE_SSL_CONNECT_ERROR &&
                      (detail.find("wrong version number") != std::string::npos ||
                       detail.find("packet length too long") != std::string::npos);
    // A TLS alert after the handshake (TLS 1.3 reports a refused client certificate that way)
    // arrives as a read or send error, but it is a TLS problem all the same.
    bool tls_alert = (result == CURLE_RECV_ERROR || result == CURLE_SEND_ERROR) &&
                     detail.find("SSL routines") != std::string::npos;
    throw TransportError(detail, static_cast<int>(result), IsTlsCode(result) || tls_alert,
                         plain_http);
  }
};

ResponseStream::ResponseStream(std::unique_ptr<State> state) : state_(std::move(state)) {}
ResponseStream::~ResponseStream() = default;

const Response& ResponseStream::response() const {
  return state_->response;
}

size_t ResponseStream::Read(char* buf, size_t capacity) {
  State& s = *state_;
  if (s.overflow_pos < s.overflow.size()) {
    size_t n = std::min(capacity, s.overflow.size() - s.overflow_pos);
    std::memcpy(buf, s.overflow.data() + s.overflow_pos, n);
    s.overflow_pos += n;
    if (s.overflow_pos == s.overflow.size()) {
      s.overflow.clear();
      s.overflow_pos = 0;
    }
    return n;
  }
  s.target = buf;
  s.target_capacity = capacity;
  s.target_filled = 0;
  try {
    if (s.paused) {
      s.paused = false;
      // May call the write callback right here, into `buf`.
      Curl().easy_pause(s.handle->easy, CURLPAUSE_CONT);
    }
    while (s.target_filled == 0 && s.overflow.empty() && s.Step()) {
    }
  } catch (...) {
    s.target = nullptr;
    throw;
  }
  s.target = nullptr;
  if (s.target_filled > 0) return s.target_filled;
  if (!s.overflow.empty()) return Read(buf, capacity);
  s.ThrowIfFailed();
  return 0;
}

// ---- client ------------------------------------------------------------------------------------

Client::Client(TlsConfig tls) : tls_(std::move(tls)), pool_(std::make_shared<HandlePool>()) {}

Client::~Client() = default;

namespace {

// libcurl honours http_proxy/https_proxy, and would send even a loopback request (a local
// registry, the local cluster's dashboard) to the proxy unless no_proxy lists it. Loopback
// never leaves the machine: it is added to the user's no_proxy.
const char* NoProxy() {
  static const std::string value = [] {
    const char* kLoopback = "localhost,127.0.0.0/8,::1";
    const char* user = std::getenv("no_proxy");
    if (user == nullptr || *user == '\0') user = std::getenv("NO_PROXY");
    if (user == nullptr || *user == '\0') return std::string(kLoopback);
    return std::string(user) + "," + kLoopback;
  }();
  return value.c_str();
}

void Configure(CURL* easy, ResponseStream::State& s, const Request& req, const TlsConfig& tls) {
  Curl().easy_reset(easy);
  Curl().easy_setopt(easy, CURLOPT_NOPROXY, NoProxy());
  Curl().easy_setopt(easy, CURLOPT_URL, req.url.c_str());
  Curl().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  Curl().easy_setopt(easy, CURLOPT_ERRORBUFFER, s.error_buffer);
  // HTTP/1.1: one blob per connection streams with the least CPU; HTTP/2's framing and flow
  // control buy nothing for a few large sequential bodies.
  Curl().easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  Curl().easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, static_cast<long>(req.connect_timeout.count()));
  Curl().easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  Curl().easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, 120L);
  Curl().easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  Curl().easy_setopt(easy, CURLOPT_BUFFERSIZE, 512L * 1024);
  Curl().easy_setopt(easy, CURLOPT_UPLOAD_BUFFERSIZE, 2L * 1024 * 1024);
  Curl().easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  Curl().easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
  Curl().easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);
  if (!tls.extra_ca_pem.empty()) {
    // Our CAs as a blob, the system's from the hashed directory: OpenSSL looks certificates up
    // there only when needed, instead of parsing the whole bundle on every handshake.
    Curl().easy_setopt(easy, CURLOPT_CAPATH, tls.system_ca_path.c_str());
    curl_blob blob{const_cast<char*>(tls.extra_ca_pem.data()), tls.extra_ca_pem.size(),
                   CURL_BLOB_NOCOPY};
    Curl().easy_setopt(easy, CURLOPT_CAINFO_BLOB, &blob);
  }
  if (!tls.client_cert_file.empty()) {
    Curl().easy_setopt(easy, CURLOPT_SSLCERT, tls.client_cert_file.c_str());
    Curl().easy_setopt(easy, CURLOPT_SSLKEY, tls.client_key_file.c_str());
  }
  Curl().easy_setopt(easy, CURLOPT_HEADERFUNCTION, &ResponseStream::State::OnHeader);
  Curl().easy_setopt(easy, CURLOPT_HEADERDATA, &s);
  Curl().easy_setopt(easy, CURLOPT_WRITEFUNCTION, &ResponseStream::State::OnBody);
  Curl().easy_setopt(easy, CURLOPT_WRITEDATA, &s);

  bool has_body = req.source || !req.body.empty() || req.method == "PUT" || req.method == "POST" ||
                  req.method == "PATCH";
  for (const auto& [name, value] : req.headers) {
    s.header_list = Curl().slist_append(s.header_list, (name + ": " + value).c_str());
  }
  if (req.method == "HEAD") {
    Curl().easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (req.method == "GET") {
    Curl().easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (has_body) {
    s.source = req.source;
    s.body = req.body;
    int64_t size = req.source ? req.source_size : static_cast<int64_t>(req.body.size());
    Curl().easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    Curl().easy_setopt(easy, CURLOPT_READFUNCTION, &ResponseStream::State::OnRead);
    Curl().easy_setopt(easy, CURLOPT_READDATA, &s);
    Curl().easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    if (req.method != "PUT") Curl().easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    // No 100-continue round trip: registries answer auth problems before reading anyway.
    s.header_list = Curl().slist_append(s.header_list, "Expect:");
  } else {
    Curl().easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  Curl().easy_setopt(easy, CURLOPT_HTTPHEADER, s.header_list);
}

std::unique_ptr<ResponseStream::State> Start(const std::shared_ptr<HandlePool>& pool,
                                             const Request& req, const TlsConfig& tls,
                                             bool capture_all) {
  auto s = std::make_unique<ResponseStream::State>();
  s->pool = pool;
  s->handle = pool->Acquire();
  s->capture_all = capture_all;
  s->response.url = req.url;
  Configure(s->handle->easy, *s, req, tls);
  CURLMcode mc = Curl().multi_add_handle(s->handle->multi, s->handle->easy);
  if (mc != CURLM_OK) throw Error(std::string("libcurl: ") + Curl().multi_strerror(mc));
  s->attached = true;
  return s;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// The request to send after a redirect: same method and headers, except that credentials stay
// with the host they were meant for (the distribution spec's MUST NOT).
Request Redirected(const Request& req, const std::string& location) {
  Request next = req;
  next.url = ResolveUrl(req.url, location);
  if (UrlAuthority(next.url) != UrlAuthority(req.url)) {
    std::erase_if(next.headers,
                  [](const auto& h) { return AsciiLower(h.first) == "authorization"; });
  }
  return next;
}

}  // namespace

Response Client::Send(const Request& request) {
  Request req = request;
  for (int hop = 0;; ++hop) {
    auto s = Start(pool_, req, tls_, true);
    while (s->Step()) {
    }
    s->ThrowIfFailed();
    Response r = std::move(s->response);
    auto location = r.Header("location");
    if (req.follow_redirects && IsRedirect(r.status) && location && hop < kMaxRedirects) {
      req = Redirected(req, *location);
      continue;
    }
    return r;
  }
}

std::unique_ptr<ResponseStream> Client::Open(const Request& request) {
  Request req = request;
  for (int hop = 0;; ++hop) {
    auto s = Start(pool_, req, tls_, false);
    s->waiting_for_headers = true;
    while (!s->headers_done && s->Step()) {
    }
    s->waiting_for_headers = false;
    s->ThrowIfFailed();
    if (!s->Success()) {
      while (s->Step()) {
      }
      s->ThrowIfFailed();
      auto location = s->response.Header("location");
      if (req.follow_redirects && IsRedirect(s->response.status) && location &&
          hop < kMaxRedirects) {
        req = Redirected(req, *location);
        continue;
      }
    }
    return std::unique_ptr<ResponseStream>(new ResponseStream(std::move(s)));
  }
}

// ---- values ------------------------------------------------------------------------------------

std::optional<std::string> Response::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return std::nullopt;
}

std::vector<std::string> Response::Headers(std::string_view lower_name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers) {
    if (k == lower_name) out.push_back(v);
  }
  return out;
}

std::string UrlAuthority(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  auto end = rest.find_first_of("/?#");
  return AsciiLower(rest.substr(0, end));
}

std::string ResolveUrl(std::string_view base, std::string_view location) {
  if (location.find("://") != std::string_view::npos) return std::string(location);
  auto scheme = base.find("://");
  size_t path_start = base.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  std::string origin(base.substr(0, path_start));
  if (location.rfind("//", 0) == 0)
    return std::string(base.substr(0, scheme + 1)) + std::string(location);
  if (!location.empty() && location[0] == '/') return origin + std::string(location);
  // Relative path: replace the last segment of the base path.
  std::string_view path = path_start == std::string_view::npos ? "/" : base.substr(path_start);
  path = path.substr(0, path.find_first_of("?#"));
  auto slash = path.rfind('/');
  return origin + std::string(path.substr(0, slash + 1)) + std::string(location);
}

std::string QueryEscape(std::string_view value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace rayctl::http
