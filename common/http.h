// A small HTTP client on libcurl for talking to registries: requests with string or streamed
// bodies, responses captured whole or read incrementally, header capture, redirects that never
// carry `Authorization` to another host, and TLS settings per client. Each request borrows a
// pooled (easy, multi) handle pair, so connections (and TLS sessions) are reused across requests.
// Thread-safe: a Client may be used from many threads at once; a ResponseStream by one at a time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace rayctl::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct TlsConfig {
  bool verify = true;            // verify the peer's certificate and host name
  std::string extra_ca_pem;      // PEM certificates trusted in addition to the system's
  std::string client_cert_file;  // PEM client certificate (mutual TLS), optional
  std::string client_key_file;   // its key
  std::string system_ca_path = "/etc/ssl/certs";  // hashed directory, read lazily by OpenSSL
};

// Pulls the next bytes of a request body into `buf`; returns 0 at the end. May throw: the
// request is aborted and the exception rethrown from Send.
using BodySource = std::function<size_t(char* buf, size_t capacity)>;

struct Request {
  std::string method = "GET";
  std::string url;
  HeaderList headers;
  std::string body;   // used when `source` is empty
  BodySource source;  // streamed body of `source_size` bytes
  int64_t source_size = -1;
  bool follow_redirects = false;  // GET/HEAD only: 3xx answers are followed (at most 10)
  std::chrono::seconds connect_timeout{30};
};

struct Response {
  long status = 0;
  HeaderList headers;  // names lower-cased, in arrival order, of the final response
  std::string body;    // whole body (Send), or an error body (Open with a non-2xx status)
  std::string url;     // the URL that answered (after redirects)

  std::optional<std::string> Header(std::string_view lower_name) const;
  std::vector<std::string> Headers(std::string_view lower_name) const;
};

// No HTTP answer at all: connection refused, reset, timeout, TLS failure.
class TransportError : public Error {
 public:
  TransportError(const std::string& message, int curl_code, bool tls_problem, bool plain_http_peer)
      : Error(message),
        curl_code_(curl_code),
        tls_problem_(tls_problem),
        plain_http_peer_(plain_http_peer) {}
  int curl_code() const { return curl_code_; }
  bool tls_problem() const { return tls_problem_; }          // certificate or handshake
  bool plain_http_peer() const { return plain_http_peer_; }  // spoke HTTP to a TLS client

 private:
  int curl_code_;
  bool tls_problem_;
  bool plain_http_peer_;
};

class HandlePool;

// A response whose body is read incrementally, pulled by the caller (no thread of its own):
// Read drives the transfer only as far as needed. Destroying it early aborts the transfer.
class ResponseStream {
 public:
  ~ResponseStream();
  ResponseStream(const ResponseStream&) = delete;
  ResponseStream& operator=(const ResponseStream&) = delete;

  const Response& response() const;
  // Up to `capacity` bytes of a 2xx body; 0 at its end. Throws TransportError if the
  // connection breaks.
  size_t Read(char* buf, size_t capacity);

  struct State;

 private:
  friend class Client;
  explicit ResponseStream(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

class Client {
 public:
  explicit Client(TlsConfig tls = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Performs the request and returns the whole response (any status).
  Response Send(const Request& request);
  // Performs the request until its headers arrive. For a 2xx answer the body is then read from
  // the stream; otherwise it is already in response().body.
  std::unique_ptr<ResponseStream> Open(const Request& request);

 private:
  TlsConfig tls_;
  std::shared_ptr<HandlePool> pool_;
};

// "https://a:1/x?y" -> "a:1"; lower-cased host with the port if one is written.
std::string UrlAuthority(std::string_view url);
// Resolves a Location header (absolute, absolute-path or relative) against the request URL.
std::string ResolveUrl(std::string_view base, std::string_view location);
// Percent-encodes a query value.
std::string QueryEscape(std::string_view value);

}  // namespace rayctl::http
