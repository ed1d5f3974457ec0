// The parser of Go's text/template: builds the trees of one template text (its body and every
// {{define}}/{{block}}) with Go's grammar, checks, and error messages
// ("template: NAME:LINE: function \"x\" not defined"). Stateless between calls; thread-safe.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "deploy/template/node.h"

namespace rayctl::tmpl {

class FunctionTable;

// A template that does not parse; what() is Go's message.
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The trees of `text` parsed as the template `name`: the body under `name` and each definition
// under its own name. Function names are checked against `funcs` as Go does at parse time.
// Throws ParseError.
std::map<std::string, std::shared_ptr<const Tree>> ParseTemplate(const std::string& name,
                                                                 const std::string& text,
                                                                 const FunctionTable& funcs);

}  // namespace rayctl::tmpl
