// Base64 exactly as Go's encoding/base64 StdEncoding encodes and decodes it, with Go's error
// texts; used by Sprig's b64enc/b64dec and its AES and certificate functions. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace rayctl::tmpl {

std::string GoBase64Encode(std::string_view in);
// base64.StdEncoding.DecodeString: the bytes decoded before any error; `error` is set to Go's
// CorruptInputError text when the input is malformed (\r and \n are skipped as Go skips them).
std::string GoBase64Decode(std::string_view src, std::string& error);

}  // namespace rayctl::tmpl
