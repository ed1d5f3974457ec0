// Registry authentication: `WWW-Authenticate` challenges, Basic auth, and the Bearer token flow
// of the distribution spec (anonymous or with credentials, scopes for pull and push, a token
// cache per scope set, refresh on expiry and on 401). Thread-safe: one Authenticator serves all
// requests to one registry; tokens are fetched under a lock so concurrent blobs share them.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http.h"
#include "mirror/credentials.h"

namespace rayctl::mirror {

struct Challenge {
  std::string scheme;                         // lower-case: "bearer", "basic"
  std::map<std::string, std::string> params;  // realm, service, scope, error (keys lower-case)

  std::string Param(const std::string& key) const;
};

// Parses a WWW-Authenticate header value, which may hold several challenges.
std::vector<Challenge> ParseChallenges(std::string_view header);

// "repository:team/app:pull,push"
std::string RepositoryScope(const std::string& repository, const std::string& actions);

class Authenticator {
 public:
  // `registry` names the registry in messages; `creds_flag` is the flag that sets its
  // credentials ("--dest-creds"), for hints.
  Authenticator(http::Client& client, std::string registry, Credentials creds,
                std::string creds_flag);

  // Remembers the challenge of a 401 (from the /v2/ ping or any request).
  void SetChallenge(const http::Response& unauthorized);
  bool HasChallenge() const;

  // The Authorization header value for a request needing `scopes`, fetching a token when
  // needed; empty when the registry asked for nothing.
  std::string Authorization(const std::vector<std::string>& scopes);

  // After a 401 to a request that carried Authorization for `scopes`: takes the new challenge,
  // drops the cached token, and says whether a retry can succeed (false: the same credentials
  // were just rejected).
  bool Reauthorize(const http::Response& unauthorized, const std::vector<std::string>& scopes);

  int tokens_fetched() const;

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point refresh_at;
  };
  Token FetchToken(const Challenge& c, const std::vector<std::string>& scopes);

  http::Client& client_;
  std::string registry_;
  Credentials creds_;
  std::string creds_flag_;
  mutable std::mutex mu_;
  std::optional<Challenge> challenge_;
  std::map<std::string, Token> tokens_;  // key: scopes joined by ' '
  int tokens_fetched_ = 0;
};

}  // namespace rayctl::mirror
