#include "deploy/template/parser.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include "deploy/template/function_table.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/lexer.h"
#include "deploy/template/strconv.h"

namespace rayctl::tmpl {

namespace {

constexpr int kMaxStackDepth = 10000;
constexpr size_t kMaxPipelineCmds = 100000;

using TreeSet = std::map<std::string, std::shared_ptr<Tree>>;

// State shared by a template body and the definitions nested in it: the lexer and its lookahead.
struct Shared {
  Shared(std::string_view text, bool break_ok, bool continue_ok)
      : lexer(text, break_ok, continue_ok) {}
  Lexer lexer;
  Item token[3];
  int peek_count = 0;
};

class Parser {
 public:
  Parser(std::string name, std::shared_ptr<const ParseSource> source, Shared& shared,
         const FunctionTable& funcs, TreeSet& tree_set)
      : name_(std::move(name)),
        source_(std::move(source)),
        shared_(shared),
        funcs_(funcs),
        tree_set_(tree_set) {}

  // The top-level parse of a template text: runs to EOF.
  void ParseBody() {
    root_ = std::make_unique<ListNode>(Peek().pos, src());
    while (Peek().type != ItemType::kEOF) {
      if (Peek().type == ItemType::kLeftDelim) {
        Item delim = Next();
        if (NextNonSpace().type == ItemType::kDefine) {
          Parser def("definition", source_, shared_, funcs_, tree_set_);
          def.ParseDefinition();
          continue;
        }
        Backup2(delim);
      }
      NodePtr n = TextOrAction();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse)
        Errorf("unexpected " + n->String());
      root_->nodes.push_back(std::move(n));
    }
    Add();
  }

 private:
  const ParseSource* src() const { return source_.get(); }

  // ------------------------------------------------------------ tokens
  Item Next() {
    if (shared_.peek_count > 0)
      --shared_.peek_count;
    else
      shared_.token[0] = shared_.lexer.Next();
    return shared_.token[shared_.peek_count];
  }
  void Backup() { ++shared_.peek_count; }
  void Backup2(const Item& t1) {
    shared_.token[1] = t1;
    shared_.peek_count = 2;
  }
  void Backup3(const Item& t2, const Item& t1) {
    shared_.token[1] = t1;
    shared_.token[2] = t2;
    shared_.peek_count = 3;
  }
  Item Peek() {
    if (shared_.peek_count > 0) return shared_.token[shared_.peek_count - 1];
    shared_.peek_count = 1;
    shared_.token[0] = shared_.lexer.Next();
    return shared_.token[0];
  }
  Item NextNonSpace() {
    Item t;
    do {
      t = Next();
    } while (t.type == ItemType::kSpace);
    return t;
  }
  Item PeekNonSpace() {
    Item t = NextNonSpace();
    Backup();
    return t;
  }

  // ------------------------------------------------------------ errors
  [[noreturn]] void Errorf(const std::string& message) {
    throw ParseError("template: " + source_->parse_name + ":" +
                     std::to_string(shared_.token[0].line) + ": " + message);
  }

  Item Expect(ItemType expected, const std::string& context) {
    Item t = NextNonSpace();
    if (t.type != expected) Unexpected(t, context);
    return t;
  }

  Item ExpectOneOf(ItemType a, ItemType b, const std::string& context) {
    Item t = NextNonSpace();
    if (t.type != a && t.type != b) Unexpected(t, context);
    return t;
  }

  [[noreturn]] void Unexpected(const Item& t, const std::string& context) {
    if (t.type == ItemType::kError) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != t.line) {
        extra = " in action started at " + source_->parse_name + ":" + std::to_string(action_line_);
        if (t.error.size() >= 7 && t.error.compare(t.error.size() - 7, 7, " action") == 0)
          extra = extra.substr(std::string(" in action").size());
      }
      Errorf(t.error + extra);
    }
    Errorf("unexpected " + t.String() + " in " + context);
  }

  // ------------------------------------------------------------ trees
  void Add() {
    auto it = tree_set_.find(name_);
    if (it == tree_set_.end() || IsEmptyTree(it->second->root.get())) {
      auto tree = std::make_shared<Tree>();
      tree->name = name_;
      tree->source = source_;
      tree->root = std::move(root_);
      tree_set_[name_] = std::move(tree);
      return;
    }
    if (!IsEmptyTree(root_.get()))
      Errorf("template: multiple definition of template " + Quote(name_));
  }

  void ParseDefinition() {
    const std::string context = "define clause";
    Item name = ExpectOneOf(ItemType::kString, ItemType::kRawString, context);
    name_ = UnquoteOrError(name.value);
    Expect(ItemType::kRightDelim, context);
    auto [list, end] = ItemList();
    if (end->type != NodeType::kEnd) Errorf("unexpected " + end->String() + " in " + context);
    root_ = std::move(list);
    Add();
  }

  std::string UnquoteOrError(std::string_view quoted) {
    std::optional<std::string> s = Unquote(quoted);
    if (!s) Errorf("invalid syntax");
    return *s;
  }

  std::pair<std::unique_ptr<ListNode>, NodePtr> ItemList() {
    auto list = std::make_unique<ListNode>(PeekNonSpace().pos, src());
    while (PeekNonSpace().type != ItemType::kEOF) {
      NodePtr n = TextOrAction();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse)
        return {std::move(list), std::move(n)};
      list->nodes.push_back(std::move(n));
    }
    Errorf("unexpected EOF");
  }

  NodePtr TextOrAction() {
    Item t = NextNonSpace();
    switch (t.type) {
      case ItemType::kText:
        return std::make_unique<TextNode>(t.pos, src(), std::string(t.value));
      case ItemType::kLeftDelim: {
        action_line_ = t.line;
        NodePtr n = Action();
        action_line_ = 0;
        return n;
      }
      case ItemType::kComment:
        return std::make_unique<CommentNode>(t.pos, src(), std::string(t.value));
      default:
        Unexpected(t, "input");
    }
  }

  NodePtr Action() {
    Item t = NextNonSpace();
    switch (t.type) {
      case ItemType::kBlock:
        return BlockControl();
      case ItemType::kBreak:
        return BreakControl(t.pos, t.line, true);
      case ItemType::kContinue:
        return BreakControl(t.pos, t.line, false);
      case ItemType::kElse:
        return ElseControl();
      case ItemType::kEnd:
        return std::make_unique<EndNode>(Expect(ItemType::kRightDelim, "end").pos, src());
      case ItemType::kIf:
        return Control(NodeType::kIf, "if");
      case ItemType::kRange:
        return Control(NodeType::kRange, "range");
      case ItemType::kTemplate:
        return TemplateControl();
      case ItemType::kWith:
        return Control(NodeType::kWith, "with");
      default:
        break;
    }
    Backup();
    Item token = Peek();
    // Variables declared here persist until the enclosing {{end}}.
    return std::make_unique<ActionNode>(token.pos, src(), token.line,
                                        Pipeline("command", ItemType::kRightDelim));
  }

  NodePtr BreakControl(int pos, int line, bool is_break) {
    const std::string what = is_break ? "{{break}}" : "{{continue}}";
    Item t = NextNonSpace();
    if (t.type != ItemType::kRightDelim) Unexpected(t, what);
    if (range_depth_ == 0) Errorf(what + " outside {{range}}");
    if (is_break) return std::make_unique<BreakNode>(pos, src(), line);
    return std::make_unique<ContinueNode>(pos, src(), line);
  }

  std::unique_ptr<PipeNode> Pipeline(const std::string& context, ItemType end) {
    Item token = PeekNonSpace();
    auto pipe = std::make_unique<PipeNode>(token.pos, src(), token.line);
  decls:
    if (Item v = PeekNonSpace(); v.type == ItemType::kVariable) {
      Next();
      // In "$x foo" the token after $x decides whether $x is declared or used.
      Item after_variable = Peek();
      Item next = PeekNonSpace();
      if (next.type == ItemType::kAssign || next.type == ItemType::kDeclare) {
        pipe->is_assign = next.type == ItemType::kAssign;
        NextNonSpace();
        pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, src(), std::string(v.value)));
        vars_.emplace_back(v.value);
      } else if (next.type == ItemType::kChar && next.value == ",") {
        NextNonSpace();
        pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, src(), std::string(v.value)));
        vars_.emplace_back(v.value);
        if (context == "range" && pipe->decl.size() < 2) {
          ItemType p = PeekNonSpace().type;
          if (p == ItemType::kVariable || p == ItemType::kRightDelim || p == ItemType::kRightParen)
            goto decls;
          Errorf("range can only initialize variables");
        }
        Errorf("too many declarations in " + context);
      } else if (after_variable.type == ItemType::kSpace) {
        Backup3(v, after_variable);
      } else {
        Backup2(v);
      }
    }
    while (true) {
      Item t = NextNonSpace();
      if (t.type == end) {
        CheckPipeline(*pipe, context);
        return pipe;
      }
      switch (t.type) {
        case ItemType::kBool:
        case ItemType::kCharConstant:
        case ItemType::kComplex:
        case ItemType::kDot:
        case ItemType::kField:
        case ItemType::kIdentifier:
        case ItemType::kNumber:
        case ItemType::kNil:
        case ItemType::kRawString:
        case ItemType::kString:
        case ItemType::kVariable:
        case ItemType::kLeftParen:
          Backup();
          pipe->cmds.push_back(Command());
          if (pipe->cmds.size() > kMaxPipelineCmds) Errorf("pipeline too long");
          break;
        default:
          Unexpected(t, context);
      }
    }
  }

  void CheckPipeline(const PipeNode& pipe, const std::string& context) {
    if (pipe.cmds.empty()) Errorf("missing value for " + context);
    for (size_t i = 1; i < pipe.cmds.size(); ++i) {
      switch (pipe.cmds[i]->args[0]->type) {
        case NodeType::kBool:
        case NodeType::kDot:
        case NodeType::kNil:
        case NodeType::kNumber:
        case NodeType::kString:
          Errorf("non executable command in pipeline stage " + std::to_string(i + 1));
        default:
          break;
      }
    }
  }

  NodePtr Control(NodeType type, const std::string& context) {
    size_t vars_mark = vars_.size();
    auto pipe = Pipeline(context, ItemType::kRightDelim);
    if (type == NodeType::kRange) ++range_depth_;
    auto [list, next] = ItemList();
    if (type == NodeType::kRange) --range_depth_;
    std::unique_ptr<ListNode> else_list;
    if (next->type == NodeType::kElse) {
      // {{else if ...}} and {{else with ...}} nest an if/with in the else branch; its {{end}}
      // closes both.
      if (type == NodeType::kIf && Peek().type == ItemType::kIf) {
        Next();
        else_list = std::make_unique<ListNode>(next->pos, src());
        else_list->nodes.push_back(Control(NodeType::kIf, "if"));
      } else if (type == NodeType::kWith && Peek().type == ItemType::kWith) {
        Next();
        else_list = std::make_unique<ListNode>(next->pos, src());
        else_list->nodes.push_back(Control(NodeType::kWith, "with"));
      } else {
        auto [elist, enext] = ItemList();
        if (enext->type != NodeType::kEnd) Errorf("expected end; found " + enext->String());
        else_list = std::move(elist);
      }
    }
    vars_.resize(vars_mark);
    int pos = pipe->pos;
    int line = pipe->line;
    return std::make_unique<BranchNode>(type, pos, src(), line, std::move(pipe), std::move(list),
                                        std::move(else_list));
  }

  NodePtr ElseControl() {
    Item peek = PeekNonSpace();
    if (peek.type == ItemType::kIf || peek.type == ItemType::kWith)
      return std::make_unique<ElseNode>(peek.pos, src(), peek.line);
    Item t = Expect(ItemType::kRightDelim, "else");
    return std::make_unique<ElseNode>(t.pos, src(), t.line);
  }

  NodePtr BlockControl() {
    const std::string context = "block clause";
    Item token = NextNonSpace();
    std::string name = TemplateName(token, context);
    auto pipe = Pipeline(context, ItemType::kRightDelim);
    Parser block(name, source_, shared_, funcs_, tree_set_);
    auto [list, end] = block.ItemList();
    if (end->type != NodeType::kEnd) Errorf("unexpected " + end->String() + " in " + context);
    block.root_ = std::move(list);
    block.Add();
    return std::make_unique<TemplateNode>(token.pos, src(), token.line, name, std::move(pipe));
  }

  NodePtr TemplateControl() {
    const std::string context = "template clause";
    Item token = NextNonSpace();
    std::string name = TemplateName(token, context);
    std::unique_ptr<PipeNode> pipe;
    if (NextNonSpace().type != ItemType::kRightDelim) {
      Backup();
      pipe = Pipeline(context, ItemType::kRightDelim);
    }
    return std::make_unique<TemplateNode>(token.pos, src(), token.line, name, std::move(pipe));
  }

  std::string TemplateName(const Item& token, const std::string& context) {
    if (token.type == ItemType::kString || token.type == ItemType::kRawString)
      return UnquoteOrError(token.value);
    Unexpected(token, context);
  }

  std::unique_ptr<CommandNode> Command() {
    auto cmd = std::make_unique<CommandNode>(PeekNonSpace().pos, src());
    while (true) {
      PeekNonSpace();  // skip leading spaces
      if (NodePtr operand = Operand()) cmd->args.push_back(std::move(operand));
      Item t = Next();
      if (t.type == ItemType::kSpace) continue;
      if (t.type == ItemType::kRightDelim || t.type == ItemType::kRightParen) {
        Backup();
      } else if (t.type != ItemType::kPipe) {
        Unexpected(t, "operand");
      }
      break;
    }
    if (cmd->args.empty()) Errorf("empty command");
    return cmd;
  }

  NodePtr Operand() {
    NodePtr node = Term();
    if (!node) return nullptr;
    if (Peek().type == ItemType::kField) {
      auto chain = std::make_unique<ChainNode>(Peek().pos, src(), nullptr);
      while (Peek().type == ItemType::kField) {
        Item f = Next();
        chain->field.emplace_back(f.value.substr(1));
      }
      // Fields after a field or variable extend it; after a literal they are an error.
      switch (node->type) {
        case NodeType::kField: {
          std::string text;
          node->WriteTo(text);
          for (const std::string& f : chain->field)
            text += "." + f;
          return std::make_unique<FieldNode>(chain->pos, src(), text);
        }
        case NodeType::kVariable: {
          std::string text;
          node->WriteTo(text);
          for (const std::string& f : chain->field)
            text += "." + f;
          return std::make_unique<VariableNode>(chain->pos, src(), text);
        }
        case NodeType::kBool:
        case NodeType::kString:
        case NodeType::kNumber:
        case NodeType::kNil:
        case NodeType::kDot:
          Errorf("unexpected . after term " + Quote(node->String()));
        default:
          chain->node = std::move(node);
          return chain;
      }
    }
    return node;
  }

  NodePtr Term() {
    Item t = NextNonSpace();
    switch (t.type) {
      case ItemType::kIdentifier:
        if (!funcs_.Has(t.value)) Errorf("function " + Quote(t.value) + " not defined");
        return std::make_unique<IdentifierNode>(t.pos, src(), std::string(t.value));
      case ItemType::kDot:
        return std::make_unique<DotNode>(t.pos, src());
      case ItemType::kNil:
        return std::make_unique<NilNode>(t.pos, src());
      case ItemType::kVariable:
        return UseVar(t.pos, std::string(t.value));
      case ItemType::kField:
        return std::make_unique<FieldNode>(t.pos, src(), std::string(t.value));
      case ItemType::kBool:
        return std::make_unique<BoolNode>(t.pos, src(), t.value == "true");
      case ItemType::kCharConstant:
      case ItemType::kComplex:
      case ItemType::kNumber:
        return NewNumber(t);
      case ItemType::kLeftParen: {
        if (stack_depth_ >= kMaxStackDepth) Errorf("max expression depth exceeded");
        ++stack_depth_;
        auto pipe = Pipeline("parenthesized pipeline", ItemType::kRightParen);
        --stack_depth_;
        return pipe;
      }
      case ItemType::kString:
      case ItemType::kRawString:
        return std::make_unique<StringNode>(t.pos, src(), std::string(t.value),
                                            UnquoteOrError(t.value));
      default:
        Backup();
        return nullptr;
    }
  }

  NodePtr UseVar(int pos, const std::string& name) {
    auto v = std::make_unique<VariableNode>(pos, src(), name);
    for (const std::string& var : vars_)
      if (var == v->ident[0]) return v;
    Errorf("undefined variable " + Quote(v->ident[0]));
  }

  NodePtr NewNumber(const Item& t) {
    auto n = std::make_unique<NumberNode>(t.pos, src(), std::string(t.value));
    std::string_view text = t.value;
    if (t.type == ItemType::kCharConstant) {
      auto r = UnquoteChar(text.substr(1), text[0]);
      if (!r) Errorf("invalid syntax");
      if (r->tail != "'") Errorf("malformed character constant: " + std::string(text));
      n->int64 = r->rune;
      n->is_int = true;
      n->uint64 = r->rune;
      n->is_uint = true;
      n->float64 = r->rune;
      n->is_float = true;
      return n;
    }
    if (t.type == ItemType::kComplex) {
      auto c = ParseComplex(text);
      if (!c) Errorf("expected integer");
      n->is_complex = true;
      n->complex128 = *c;
      SimplifyComplex(*n);
      return n;
    }
    if (!text.empty() && text.back() == 'i') {
      if (auto f = ParseFloat(text.substr(0, text.size() - 1))) {
        n->is_complex = true;
        n->complex128 = std::complex<double>(0, *f);
        SimplifyComplex(*n);
        return n;
      }
    }
    std::optional<uint64_t> u = ParseUint(text);
    if (u) {
      n->is_uint = true;
      n->uint64 = *u;
    }
    if (std::optional<int64_t> i = ParseInt(text)) {
      n->is_int = true;
      n->int64 = *i;
      if (*i == 0) {
        n->is_uint = true;
        n->uint64 = u.value_or(0);
      }
    }
    if (n->is_int) {
      n->is_float = true;
      n->float64 = static_cast<double>(n->int64);
    } else if (n->is_uint) {
      n->is_float = true;
      n->float64 = static_cast<double>(n->uint64);
    } else if (std::optional<double> f = ParseFloat(text)) {
      if (text.find_first_of(".eEpP") == std::string_view::npos)
        Errorf("integer overflow: " + Quote(text));
      n->is_float = true;
      n->float64 = *f;
      if (!n->is_int && std::fabs(*f) < 9.3e18 &&
          static_cast<double>(static_cast<int64_t>(*f)) == *f) {
        n->is_int = true;
        n->int64 = static_cast<int64_t>(*f);
      }
      if (!n->is_uint && *f >= 0 && *f < 1.85e19 &&
          static_cast<double>(static_cast<uint64_t>(*f)) == *f) {
        n->is_uint = true;
        n->uint64 = static_cast<uint64_t>(*f);
      }
    }
    if (!n->is_int && !n->is_uint && !n->is_float) Errorf("illegal number syntax: " + Quote(text));
    return n;
  }

  static void SimplifyComplex(NumberNode& n) {
    n.is_float = n.complex128.imag() == 0;
    if (n.is_float) {
      n.float64 = n.complex128.real();
      double f = n.float64;
      n.is_int = std::fabs(f) < 9.3e18 && static_cast<double>(static_cast<int64_t>(f)) == f;
      if (n.is_int) n.int64 = static_cast<int64_t>(f);
      n.is_uint = f >= 0 && f < 1.85e19 && static_cast<double>(static_cast<uint64_t>(f)) == f;
      if (n.is_uint) n.uint64 = static_cast<uint64_t>(f);
    }
  }

  std::string name_;
  std::shared_ptr<const ParseSource> source_;
  Shared& shared_;
  const FunctionTable& funcs_;
  TreeSet& tree_set_;
  std::unique_ptr<ListNode> root_;
  std::vector<std::string> vars_{"$"};
  int action_line_ = 0;
  int range_depth_ = 0;
  int stack_depth_ = 0;
};

}  // namespace

std::map<std::string, std::shared_ptr<const Tree>> ParseTemplate(const std::string& name,
                                                                 const std::string& text,
                                                                 const FunctionTable& funcs) {
  auto source = std::make_shared<ParseSource>();
  source->parse_name = name;
  source->text = text;
  Shared shared(source->text, !funcs.Has("break"), !funcs.Has("continue"));
  TreeSet trees;
  Parser parser(name, source, shared, funcs, trees);
  parser.ParseBody();
  std::map<std::string, std::shared_ptr<const Tree>> out;
  for (auto& [k, v] : trees)
    out.emplace(k, std::move(v));
  return out;
}

}  // namespace rayctl::tmpl
