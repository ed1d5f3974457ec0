// Base64 as Go's encoding/base64 StdEncoding and RawStdEncoding do it (JSON []byte,
// Files.AsSecrets, Sprig's b64enc/b64dec). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rayctl::tmpl {

std::string Base64Encode(std::string_view in, bool padding = true);
// Strict decoding like Go's DecodeString (padding required when `padding`, \r and \n ignored);
// nullopt for malformed input.
std::optional<std::string> Base64Decode(std::string_view in, bool padding = true);

}  // namespace rayctl::tmpl
