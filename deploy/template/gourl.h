// Go's net/url URL parsing and printing, as Sprig's urlParse and urlJoin expose them: the same
// split into scheme, opaque, userinfo, host, path, query and fragment, the same percent-decoding
// per component, the same escaping when printing, and Go's error texts ("parse \":x\": missing
// protocol scheme"). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rayctl::tmpl {

struct GoUrl {
  std::string scheme, opaque, host, path, raw_path, raw_query, fragment;
  // Userinfo: absent, a user name, or a user name and password.
  bool has_user = false;
  std::string username, password;
  bool password_set = false;
  bool force_query = false, omit_host = false;

  // url.Parse; throws std::runtime_error with the text of Go's *url.Error.
  static GoUrl Parse(std::string_view raw);
  std::string String() const;
  std::string Hostname() const;
  std::string UserString() const;  // Userinfo.String(): escaped "user[:password]"
};

}  // namespace rayctl::tmpl
