#include "deploy/template/lexer.h"

#include <cstdio>

#include "deploy/template/gofmt.h"
#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

namespace {

constexpr char32_t kEof = static_cast<char32_t>(-1);
constexpr std::string_view kSpaceChars = " \t\r\n";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";
constexpr size_t kTrimMarkerLen = 2;  // "-" plus a space

bool IsSpaceRune(char32_t r) {
  return r == ' ' || r == '\t' || r == '\r' || r == '\n';
}

bool IsAlphaNumeric(char32_t r) {
  return r == '_' || (r != kEof && (IsLetter(r) || IsDigit(r)));
}

bool HasLeftTrimMarker(std::string_view s) {
  return s.size() >= 2 && s[0] == '-' && IsSpaceRune(static_cast<unsigned char>(s[1]));
}

bool HasRightTrimMarker(std::string_view s) {
  return s.size() >= 2 && IsSpaceRune(static_cast<unsigned char>(s[0])) && s[1] == '-';
}

size_t RightTrimLength(std::string_view s) {
  size_t n = s.find_last_not_of(kSpaceChars);
  return n == std::string_view::npos ? s.size() : s.size() - n - 1;
}

size_t LeftTrimLength(std::string_view s) {
  size_t n = s.find_first_not_of(kSpaceChars);
  return n == std::string_view::npos ? s.size() : n;
}

ItemType Keyword(std::string_view word) {
  if (word == ".") return ItemType::kDot;
  if (word == "block") return ItemType::kBlock;
  if (word == "break") return ItemType::kBreak;
  if (word == "continue") return ItemType::kContinue;
  if (word == "define") return ItemType::kDefine;
  if (word == "else") return ItemType::kElse;
  if (word == "end") return ItemType::kEnd;
  if (word == "if") return ItemType::kIf;
  if (word == "range") return ItemType::kRange;
  if (word == "nil") return ItemType::kNil;
  if (word == "template") return ItemType::kTemplate;
  if (word == "with") return ItemType::kWith;
  return ItemType::kError;
}

// %#U of Go's fmt: U+0041 'A'.
std::string SharpU(char32_t r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string s = buf;
  if (IsPrint(r)) {
    s += " '";
    AppendUtf8(s, r);
    s += "'";
  }
  return s;
}

}  // namespace

std::string Item::String() const {
  if (type == ItemType::kEOF) return "EOF";
  if (type == ItemType::kError) return error;
  if (type > ItemType::kKeyword) return "<" + std::string(value) + ">";
  if (RuneCount(value) > 10) {
    size_t i = 0;
    for (int n = 0; n < 10 && i < value.size(); ++n)
      i += DecodeUtf8(value.substr(i)).second;
    return Quote(value.substr(0, i)) + "...";
  }
  return Quote(value);
}

Lexer::Lexer(std::string_view text, bool break_ok, bool continue_ok)
    : input_(text), break_ok_(break_ok), continue_ok_(continue_ok) {}

char32_t Lexer::NextRune() {
  if (pos_ >= input_.size()) {
    width_ = 0;
    return kEof;
  }
  auto [r, w] = DecodeUtf8(input_.substr(pos_));
  width_ = w;
  pos_ += w;
  if (r == '\n') ++line_;
  return r;
}

char32_t Lexer::Peek() {
  char32_t r = NextRune();
  Backup();
  return r;
}

void Lexer::Backup() {
  pos_ -= width_;
  if (width_ == 1 && input_[pos_] == '\n') --line_;
}

Item Lexer::Emit(ItemType type) {
  Item item;
  item.type = type;
  item.pos = static_cast<int>(start_);
  item.value = input_.substr(start_, pos_ - start_);
  item.line = start_line_;
  start_ = pos_;
  start_line_ = line_;
  return item;
}

void Lexer::Ignore() {
  for (size_t i = start_; i < pos_; ++i)
    if (input_[i] == '\n') ++line_;
  start_ = pos_;
  start_line_ = line_;
}

bool Lexer::Accept(std::string_view valid) {
  char32_t r = NextRune();
  if (r != kEof && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos)
    return true;
  Backup();
  return false;
}

void Lexer::AcceptRun(std::string_view valid) {
  while (true) {
    char32_t r = NextRune();
    if (r == kEof || r >= 0x80 || valid.find(static_cast<char>(r)) == std::string_view::npos) break;
  }
  Backup();
}

Item Lexer::Errorf(std::string message) {
  Item item;
  item.type = ItemType::kError;
  item.pos = static_cast<int>(start_);
  item.error = std::move(message);
  item.line = start_line_;
  state_ = State::kDone;
  return item;
}

Item Lexer::Next() {
  Item out;
  while (true) {
    bool produced = false;
    switch (state_) {
      case State::kDone: {
        Item eof;
        eof.type = ItemType::kEOF;
        eof.pos = static_cast<int>(pos_);
        eof.line = start_line_;
        return eof;
      }
      case State::kText:
        produced = LexText(out);
        break;
      case State::kLeftDelim:
        produced = LexLeftDelim(out);
        break;
      case State::kComment:
        produced = LexComment(out);
        break;
      case State::kRightDelim:
        produced = LexRightDelim(out);
        break;
      case State::kInsideAction:
        produced = LexInsideAction(out);
        break;
      case State::kSpace:
        produced = LexSpace(out);
        break;
      case State::kIdentifier:
        produced = LexIdentifier(out);
        break;
      case State::kField:
        produced = LexFieldOrVariable(out, ItemType::kField);
        break;
      case State::kVariable:
        if (AtTerminator()) {
          out = Emit(ItemType::kVariable);
          state_ = State::kInsideAction;
          produced = true;
        } else {
          produced = LexFieldOrVariable(out, ItemType::kVariable);
        }
        break;
      case State::kChar:
        produced = LexChar(out);
        break;
      case State::kNumber:
        produced = LexNumber(out);
        break;
      case State::kQuote:
        produced = LexQuote(out);
        break;
      case State::kRawQuote:
        produced = LexRawQuote(out);
        break;
    }
    if (produced) return out;
  }
}

bool Lexer::LexText(Item& out) {
  width_ = 0;
  size_t x = input_.find(left_delim_, pos_);
  if (x != std::string_view::npos) {
    size_t ldn = left_delim_.size();
    pos_ = x;
    size_t trim = 0;
    if (HasLeftTrimMarker(input_.substr(pos_ + ldn)))
      trim = RightTrimLength(input_.substr(start_, pos_ - start_));
    pos_ -= trim;
    bool produced = false;
    if (pos_ > start_) {
      for (size_t i = start_; i < pos_; ++i)
        if (input_[i] == '\n') ++line_;
      out = Emit(ItemType::kText);
      produced = true;
    }
    pos_ += trim;
    Ignore();
    state_ = State::kLeftDelim;
    return produced;
  }
  pos_ = input_.size();
  if (pos_ > start_) {
    for (size_t i = start_; i < pos_; ++i)
      if (input_[i] == '\n') ++line_;
    out = Emit(ItemType::kText);
    return true;
  }
  out = Emit(ItemType::kEOF);
  state_ = State::kDone;
  return true;
}

bool Lexer::AtRightDelim(bool& trim) {
  std::string_view rest = input_.substr(pos_);
  if (HasRightTrimMarker(rest) && rest.substr(kTrimMarkerLen).starts_with(right_delim_)) {
    trim = true;
    return true;
  }
  trim = false;
  return rest.starts_with(right_delim_);
}

bool Lexer::LexLeftDelim(Item& out) {
  pos_ += left_delim_.size();
  bool trim = HasLeftTrimMarker(input_.substr(pos_));
  size_t after = trim ? kTrimMarkerLen : 0;
  if (input_.substr(pos_ + after).starts_with(kLeftComment)) {
    pos_ += after;
    Ignore();
    state_ = State::kComment;
    return false;
  }
  out = Emit(ItemType::kLeftDelim);
  pos_ += after;
  Ignore();
  paren_depth_ = 0;
  state_ = State::kInsideAction;
  return true;
}

bool Lexer::LexComment(Item& out) {
  pos_ += kLeftComment.size();
  size_t i = input_.find(kRightComment, pos_);
  if (i == std::string_view::npos) {
    out = Errorf("unclosed comment");
    return true;
  }
  pos_ = i + kRightComment.size();
  bool trim = false;
  if (!AtRightDelim(trim)) {
    out = Errorf("comment ends before closing delimiter");
    return true;
  }
  if (trim) pos_ += kTrimMarkerLen;
  pos_ += right_delim_.size();
  if (trim) pos_ += LeftTrimLength(input_.substr(pos_));
  Ignore();
  state_ = State::kText;
  return false;
}

bool Lexer::LexRightDelim(Item& out) {
  bool trim = HasRightTrimMarker(input_.substr(pos_));
  if (trim) {
    pos_ += kTrimMarkerLen;
    Ignore();
  }
  pos_ += right_delim_.size();
  out = Emit(ItemType::kRightDelim);
  if (trim) {
    pos_ += LeftTrimLength(input_.substr(pos_));
    Ignore();
  }
  state_ = State::kText;
  return true;
}

bool Lexer::LexInsideAction(Item& out) {
  bool trim = false;
  if (AtRightDelim(trim)) {
    if (paren_depth_ == 0) {
      state_ = State::kRightDelim;
      return false;
    }
    out = Errorf("unclosed left paren");
    return true;
  }
  char32_t r = NextRune();
  if (r == kEof) {
    out = Errorf("unclosed action");
    return true;
  }
  if (IsSpaceRune(r)) {
    Backup();
    state_ = State::kSpace;
    return false;
  }
  switch (r) {
    case '=':
      out = Emit(ItemType::kAssign);
      return true;
    case ':':
      if (NextRune() != '=') {
        out = Errorf("expected :=");
        return true;
      }
      out = Emit(ItemType::kDeclare);
      return true;
    case '|':
      out = Emit(ItemType::kPipe);
      return true;
    case '"':
      state_ = State::kQuote;
      return false;
    case '`':
      state_ = State::kRawQuote;
      return false;
    case '$':
      state_ = State::kVariable;
      return false;
    case '\'':
      state_ = State::kChar;
      return false;
    case '(':
      out = Emit(ItemType::kLeftParen);
      ++paren_depth_;
      return true;
    case ')':
      out = Emit(ItemType::kRightParen);
      --paren_depth_;
      if (paren_depth_ < 0) {
        out = Errorf("unexpected right paren " + SharpU(r));
      }
      return true;
    default:
      break;
  }
  if (r == '.') {
    if (pos_ < input_.size()) {
      char c = input_[pos_];
      if (c < '0' || c > '9') {
        state_ = State::kField;
        return false;
      }
    }
    Backup();
    state_ = State::kNumber;
    return false;
  }
  if (r == '+' || r == '-' || (r >= '0' && r <= '9')) {
    Backup();
    state_ = State::kNumber;
    return false;
  }
  if (IsAlphaNumeric(r)) {
    Backup();
    state_ = State::kIdentifier;
    return false;
  }
  if (r < 0x80 && IsPrint(r)) {
    out = Emit(ItemType::kChar);
    return true;
  }
  out = Errorf("unrecognized character in action: " + SharpU(r));
  return true;
}

bool Lexer::LexSpace(Item& out) {
  int spaces = 0;
  while (IsSpaceRune(Peek())) {
    NextRune();
    ++spaces;
  }
  // A trim-marked right delimiter starts with a space; leave that space to it.
  std::string_view rest = input_.substr(pos_ - 1);
  if (HasRightTrimMarker(rest) && rest.substr(kTrimMarkerLen).starts_with(right_delim_)) {
    Backup();
    if (spaces == 1) {
      state_ = State::kRightDelim;
      return false;
    }
  }
  out = Emit(ItemType::kSpace);
  state_ = State::kInsideAction;
  return true;
}

bool Lexer::AtTerminator() {
  char32_t r = Peek();
  if (IsSpaceRune(r)) return true;
  switch (r) {
    case kEof:
    case '.':
    case ',':
    case '|':
    case ':':
    case ')':
    case '(':
      return true;
    default:
      break;
  }
  return r == static_cast<char32_t>(right_delim_[0]);
}

bool Lexer::LexIdentifier(Item& out) {
  while (true) {
    char32_t r = NextRune();
    if (IsAlphaNumeric(r)) continue;
    Backup();
    std::string_view word = input_.substr(start_, pos_ - start_);
    if (!AtTerminator()) {
      out = Errorf("bad character " + SharpU(r));
      return true;
    }
    ItemType key = Keyword(word);
    if (key > ItemType::kKeyword) {
      if ((key == ItemType::kBreak && !break_ok_) || (key == ItemType::kContinue && !continue_ok_))
        out = Emit(ItemType::kIdentifier);
      else
        out = Emit(key);
    } else if (word[0] == '.') {
      out = Emit(ItemType::kField);
    } else if (word == "true" || word == "false") {
      out = Emit(ItemType::kBool);
    } else {
      out = Emit(ItemType::kIdentifier);
    }
    state_ = State::kInsideAction;
    return true;
  }
}

bool Lexer::LexFieldOrVariable(Item& out, ItemType type) {
  if (AtTerminator()) {
    out = Emit(type == ItemType::kVariable ? ItemType::kVariable : ItemType::kDot);
    state_ = State::kInsideAction;
    return true;
  }
  char32_t r;
  while (true) {
    r = NextRune();
    if (!IsAlphaNumeric(r)) {
      Backup();
      break;
    }
  }
  if (!AtTerminator()) {
    out = Errorf("bad character " + SharpU(r));
    return true;
  }
  out = Emit(type);
  state_ = State::kInsideAction;
  return true;
}

bool Lexer::LexChar(Item& out) {
  while (true) {
    char32_t r = NextRune();
    if (r == '\\') {
      char32_t e = NextRune();
      if (e != kEof && e != '\n') continue;
      out = Errorf("unterminated character constant");
      return true;
    }
    if (r == kEof || r == '\n') {
      out = Errorf("unterminated character constant");
      return true;
    }
    if (r == '\'') break;
  }
  out = Emit(ItemType::kCharConstant);
  state_ = State::kInsideAction;
  return true;
}

bool Lexer::ScanNumber() {
  Accept("+-");
  std::string_view digits = "0123456789_";
  if (Accept("0")) {
    if (Accept("xX"))
      digits = "0123456789abcdefABCDEF_";
    else if (Accept("oO"))
      digits = "01234567_";
    else if (Accept("bB"))
      digits = "01_";
  }
  AcceptRun(digits);
  if (Accept(".")) AcceptRun(digits);
  if (digits.size() == 11 && Accept("eE")) {
    Accept("+-");
    AcceptRun("0123456789_");
  }
  if (digits.size() == 23 && Accept("pP")) {
    Accept("+-");
    AcceptRun("0123456789_");
  }
  Accept("i");
  if (IsAlphaNumeric(Peek())) {
    NextRune();
    return false;
  }
  return true;
}

bool Lexer::LexNumber(Item& out) {
  if (!ScanNumber()) {
    out = Errorf("bad number syntax: " + Quote(input_.substr(start_, pos_ - start_)));
    return true;
  }
  char32_t sign = Peek();
  if (sign == '+' || sign == '-') {
    if (!ScanNumber() || input_[pos_ - 1] != 'i') {
      out = Errorf("bad number syntax: " + Quote(input_.substr(start_, pos_ - start_)));
      return true;
    }
    out = Emit(ItemType::kComplex);
  } else {
    out = Emit(ItemType::kNumber);
  }
  state_ = State::kInsideAction;
  return true;
}

bool Lexer::LexQuote(Item& out) {
  while (true) {
    char32_t r = NextRune();
    if (r == '\\') {
      char32_t e = NextRune();
      if (e != kEof && e != '\n') continue;
      out = Errorf("unterminated quoted string");
      return true;
    }
    if (r == kEof || r == '\n') {
      out = Errorf("unterminated quoted string");
      return true;
    }
    if (r == '"') break;
  }
  out = Emit(ItemType::kString);
  state_ = State::kInsideAction;
  return true;
}

bool Lexer::LexRawQuote(Item& out) {
  while (true) {
    char32_t r = NextRune();
    if (r == kEof) {
      out = Errorf("unterminated raw quoted string");
      return true;
    }
    if (r == '`') break;
  }
  out = Emit(ItemType::kRawString);
  state_ = State::kInsideAction;
  return true;
}

}  // namespace rayctl::tmpl
