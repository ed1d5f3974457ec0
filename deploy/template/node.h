// The parse tree of a Go template, node for node as Go's text/template/parse builds it, so that
// execution and error messages (`at <.Values.x>`, `template: NAME:LINE:COL`) match Go's. Nodes
// are immutable once parsed; a tree may be executed from several threads.
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rayctl::tmpl {

// The text a tree was parsed from and the name errors give it (the file, also for its defines).
struct ParseSource {
  std::string parse_name;
  std::string text;
};

enum class NodeType : uint8_t {
  kText,
  kAction,
  kBool,
  kChain,
  kCommand,
  kDot,
  kElse,  // only while parsing
  kEnd,   // only while parsing
  kField,
  kIdentifier,
  kIf,
  kList,
  kNil,
  kNumber,
  kPipe,
  kRange,
  kString,
  kTemplate,
  kVariable,
  kWith,
  kComment,
  kBreak,
  kContinue,
};

struct Node {
  Node(NodeType t, int p, const ParseSource* s) : type(t), pos(p), source(s) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Go's Node.String(): the source-like form used in error context.
  std::string String() const;
  virtual void WriteTo(std::string& out) const = 0;

  NodeType type;
  int pos;                    // byte offset in source->text
  const ParseSource* source;  // owned by the Tree
};

using NodePtr = std::unique_ptr<Node>;

struct ListNode : Node {
  ListNode(int p, const ParseSource* s) : Node(NodeType::kList, p, s) {}
  void WriteTo(std::string& out) const override;
  std::vector<NodePtr> nodes;
};

struct TextNode : Node {
  TextNode(int p, const ParseSource* s, std::string t)
      : Node(NodeType::kText, p, s), text(std::move(t)) {}
  void WriteTo(std::string& out) const override;
  std::string text;
};

struct CommentNode : Node {
  CommentNode(int p, const ParseSource* s, std::string t)
      : Node(NodeType::kComment, p, s), text(std::move(t)) {}
  void WriteTo(std::string& out) const override;
  std::string text;
};

struct VariableNode;
struct CommandNode;

struct PipeNode : Node {
  PipeNode(int p, const ParseSource* s, int l) : Node(NodeType::kPipe, p, s), line(l) {}
  void WriteTo(std::string& out) const override;
  int line;
  bool is_assign = false;
  std::vector<std::unique_ptr<VariableNode>> decl;
  std::vector<std::unique_ptr<CommandNode>> cmds;
};

struct ActionNode : Node {
  ActionNode(int p, const ParseSource* s, int l, std::unique_ptr<PipeNode> pp)
      : Node(NodeType::kAction, p, s), line(l), pipe(std::move(pp)) {}
  void WriteTo(std::string& out) const override;
  int line;
  std::unique_ptr<PipeNode> pipe;
};

struct CommandNode : Node {
  CommandNode(int p, const ParseSource* s) : Node(NodeType::kCommand, p, s) {}
  void WriteTo(std::string& out) const override;
  std::vector<NodePtr> args;
};

struct IdentifierNode : Node {
  IdentifierNode(int p, const ParseSource* s, std::string i)
      : Node(NodeType::kIdentifier, p, s), ident(std::move(i)) {}
  void WriteTo(std::string& out) const override;
  std::string ident;
};

struct VariableNode : Node {
  VariableNode(int p, const ParseSource* s, const std::string& name);  // splits "$x.a.b"
  void WriteTo(std::string& out) const override;
  std::vector<std::string> ident;  // "$x", then fields
};

struct DotNode : Node {
  DotNode(int p, const ParseSource* s) : Node(NodeType::kDot, p, s) {}
  void WriteTo(std::string& out) const override;
};

struct NilNode : Node {
  NilNode(int p, const ParseSource* s) : Node(NodeType::kNil, p, s) {}
  void WriteTo(std::string& out) const override;
};

struct FieldNode : Node {
  FieldNode(int p, const ParseSource* s, const std::string& text);  // ".a.b" → {"a","b"}
  void WriteTo(std::string& out) const override;
  std::vector<std::string> ident;
};

struct ChainNode : Node {
  ChainNode(int p, const ParseSource* s, NodePtr n)
      : Node(NodeType::kChain, p, s), node(std::move(n)) {}
  void WriteTo(std::string& out) const override;
  NodePtr node;
  std::vector<std::string> field;
};

struct BoolNode : Node {
  BoolNode(int p, const ParseSource* s, bool v) : Node(NodeType::kBool, p, s), value(v) {}
  void WriteTo(std::string& out) const override;
  bool value;
};

// A number constant, stored under every type that can represent it (Go's ideal constants).
struct NumberNode : Node {
  NumberNode(int p, const ParseSource* s, std::string t)
      : Node(NodeType::kNumber, p, s), text(std::move(t)) {}
  void WriteTo(std::string& out) const override;
  bool is_int = false, is_uint = false, is_float = false, is_complex = false;
  int64_t int64 = 0;
  uint64_t uint64 = 0;
  double float64 = 0;
  std::complex<double> complex128;
  std::string text;
};

struct StringNode : Node {
  StringNode(int p, const ParseSource* s, std::string q, std::string t)
      : Node(NodeType::kString, p, s), quoted(std::move(q)), text(std::move(t)) {}
  void WriteTo(std::string& out) const override;
  std::string quoted;
  std::string text;
};

// {{end}} and {{else}} exist only during parsing.
struct EndNode : Node {
  EndNode(int p, const ParseSource* s) : Node(NodeType::kEnd, p, s) {}
  void WriteTo(std::string& out) const override;
};
struct ElseNode : Node {
  ElseNode(int p, const ParseSource* s, int l) : Node(NodeType::kElse, p, s), line(l) {}
  void WriteTo(std::string& out) const override;
  int line;
};

// if, range and with.
struct BranchNode : Node {
  BranchNode(NodeType t, int p, const ParseSource* s, int l, std::unique_ptr<PipeNode> pp,
             std::unique_ptr<ListNode> li, std::unique_ptr<ListNode> el)
      : Node(t, p, s),
        line(l),
        pipe(std::move(pp)),
        list(std::move(li)),
        else_list(std::move(el)) {}
  void WriteTo(std::string& out) const override;
  int line;
  std::unique_ptr<PipeNode> pipe;
  std::unique_ptr<ListNode> list;
  std::unique_ptr<ListNode> else_list;  // null when absent
};

struct BreakNode : Node {
  BreakNode(int p, const ParseSource* s, int l) : Node(NodeType::kBreak, p, s), line(l) {}
  void WriteTo(std::string& out) const override;
  int line;
};
struct ContinueNode : Node {
  ContinueNode(int p, const ParseSource* s, int l) : Node(NodeType::kContinue, p, s), line(l) {}
  void WriteTo(std::string& out) const override;
  int line;
};

struct TemplateNode : Node {
  TemplateNode(int p, const ParseSource* s, int l, std::string n, std::unique_ptr<PipeNode> pp)
      : Node(NodeType::kTemplate, p, s), line(l), name(std::move(n)), pipe(std::move(pp)) {}
  void WriteTo(std::string& out) const override;
  int line;
  std::string name;
  std::unique_ptr<PipeNode> pipe;  // may be null
};

// One parsed template: the file's body or one {{define}}.
struct Tree {
  std::string name;
  std::shared_ptr<const ParseSource> source;
  std::unique_ptr<ListNode> root;
};

// Go's IsEmptyTree: nothing but spaces and comments.
bool IsEmptyTree(const Node* node);

// Go's Tree.ErrorContext: "NAME:LINE:COL" (column counted in bytes from 0) and the node's text.
void ErrorContext(const Node& node, std::string& location, std::string& context);

}  // namespace rayctl::tmpl
