// The two glob dialects charts meet: Go's path/filepath.Match (.helmignore rules: `*` and `?`
// stop at '/', [a-z] and [^a-z] classes, `\` escapes) and gobwas/glob with '/' as separator
// (.Files.Glob: additionally `**` across directories, [!a-z], {a,b} alternatives). Pure
// functions; thread-safe.
#pragma once

#include <string_view>

namespace rayctl::deploy {

// filepath.Match; throws std::invalid_argument("syntax error in pattern") for a bad pattern.
bool FilepathMatch(std::string_view pattern, std::string_view name);

// gobwas/glob.Compile(pattern, '/').Match(name); false for a pattern that does not compile.
bool GlobMatch(std::string_view pattern, std::string_view name);
// Whether gobwas/glob compiles the pattern.
bool GlobValid(std::string_view pattern);

}  // namespace rayctl::deploy
