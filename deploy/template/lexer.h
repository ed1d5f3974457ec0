// The scanner of Go's text/template: splits template text into items (text, delimiters, and
// the words inside actions), trimming spaces around `{{- ` and ` -}}` and dropping comments, as
// Go's parse/lex.go does. Positions are byte offsets into the text; lines count from 1.
// A Lexer is used by one parser at a time.
#pragma once

#include <string>
#include <string_view>

namespace rayctl::tmpl {

enum class ItemType : uint8_t {
  kError,  // value is the error text
  kBool,
  kChar,          // printable ASCII character; grab bag for comma etc.
  kCharConstant,  // 'a'
  kComment,
  kComplex,  // 1+2i
  kAssign,   // =
  kDeclare,  // :=
  kEOF,
  kField,       // .Name
  kIdentifier,  // name
  kLeftDelim,
  kLeftParen,
  kNumber,
  kPipe,
  kRawString,
  kRightDelim,
  kRightParen,
  kSpace,
  kString,
  kText,
  kVariable,  // $name
  // Keywords, after all the rest.
  kKeyword,
  kBlock,
  kBreak,
  kContinue,
  kDot,
  kDefine,
  kElse,
  kEnd,
  kIf,
  kNil,
  kRange,
  kTemplate,
  kWith,
};

struct Item {
  ItemType type = ItemType::kEOF;
  int pos = 0;
  std::string_view value;  // a view into the lexed text, or of static storage for errors
  int line = 1;
  std::string error;  // for kError

  // Go's item.String(), used in "unexpected X in Y".
  std::string String() const;
};

class Lexer {
 public:
  Lexer(std::string_view text, bool break_ok, bool continue_ok);

  Item Next();

 private:
  enum class State {
    kText,
    kLeftDelim,
    kComment,
    kRightDelim,
    kInsideAction,
    kSpace,
    kIdentifier,
    kField,
    kVariable,
    kChar,
    kNumber,
    kQuote,
    kRawQuote,
    kDone
  };

  char32_t NextRune();
  char32_t Peek();
  void Backup();
  Item Emit(ItemType type);
  void Ignore();
  bool Accept(std::string_view valid);
  void AcceptRun(std::string_view valid);
  Item Errorf(std::string message);
  bool AtTerminator();
  bool AtRightDelim(bool& trim);
  bool ScanNumber();

  // Each returns true when it produced `out`.
  bool LexText(Item& out);
  bool LexLeftDelim(Item& out);
  bool LexComment(Item& out);
  bool LexRightDelim(Item& out);
  bool LexInsideAction(Item& out);
  bool LexSpace(Item& out);
  bool LexIdentifier(Item& out);
  bool LexFieldOrVariable(Item& out, ItemType type);
  bool LexChar(Item& out);
  bool LexNumber(Item& out);
  bool LexQuote(Item& out);
  bool LexRawQuote(Item& out);

  std::string_view input_;
  std::string_view left_delim_ = "{{";
  std::string_view right_delim_ = "}}";
  bool break_ok_;
  bool continue_ok_;
  size_t pos_ = 0;
  size_t start_ = 0;
  size_t width_ = 0;
  int paren_depth_ = 0;
  int line_ = 1;
  int start_line_ = 1;
  State state_ = State::kText;
};

}  // namespace rayctl::tmpl
