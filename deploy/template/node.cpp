#include "deploy/template/node.h"

#include "deploy/template/gofmt.h"

namespace rayctl::tmpl {

namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t i = s.find(sep, start);
    parts.push_back(s.substr(start, i == std::string::npos ? std::string::npos : i - start));
    if (i == std::string::npos) break;
    start = i + 1;
  }
  return parts;
}

}  // namespace

std::string Node::String() const {
  std::string out;
  WriteTo(out);
  return out;
}

void ListNode::WriteTo(std::string& out) const {
  for (const NodePtr& n : nodes)
    n->WriteTo(out);
}

void TextNode::WriteTo(std::string& out) const {
  out += text;
}

void CommentNode::WriteTo(std::string& out) const {
  out += "{{";
  out += text;
  out += "}}";
}

void PipeNode::WriteTo(std::string& out) const {
  if (!decl.empty()) {
    for (size_t i = 0; i < decl.size(); ++i) {
      if (i > 0) out += ", ";
      decl[i]->WriteTo(out);
    }
    out += " := ";
  }
  for (size_t i = 0; i < cmds.size(); ++i) {
    if (i > 0) out += " | ";
    cmds[i]->WriteTo(out);
  }
}

void ActionNode::WriteTo(std::string& out) const {
  out += "{{";
  pipe->WriteTo(out);
  out += "}}";
}

void CommandNode::WriteTo(std::string& out) const {
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out.push_back(' ');
    if (args[i]->type == NodeType::kPipe) {
      out.push_back('(');
      args[i]->WriteTo(out);
      out.push_back(')');
      continue;
    }
    args[i]->WriteTo(out);
  }
}

void IdentifierNode::WriteTo(std::string& out) const {
  out += ident;
}

VariableNode::VariableNode(int p, const ParseSource* s, const std::string& name)
    : Node(NodeType::kVariable, p, s), ident(Split(name, '.')) {}

void VariableNode::WriteTo(std::string& out) const {
  for (size_t i = 0; i < ident.size(); ++i) {
    if (i > 0) out.push_back('.');
    out += ident[i];
  }
}

void DotNode::WriteTo(std::string& out) const {
  out.push_back('.');
}
void NilNode::WriteTo(std::string& out) const {
  out += "nil";
}

FieldNode::FieldNode(int p, const ParseSource* s, const std::string& text)
    : Node(NodeType::kField, p, s), ident(Split(text.substr(1), '.')) {}

void FieldNode::WriteTo(std::string& out) const {
  for (const std::string& id : ident) {
    out.push_back('.');
    out += id;
  }
}

void ChainNode::WriteTo(std::string& out) const {
  if (node->type == NodeType::kPipe) {
    out.push_back('(');
    node->WriteTo(out);
    out.push_back(')');
  } else {
    node->WriteTo(out);
  }
  for (const std::string& f : field) {
    out.push_back('.');
    out += f;
  }
}

void BoolNode::WriteTo(std::string& out) const {
  out += value ? "true" : "false";
}
void NumberNode::WriteTo(std::string& out) const {
  out += text;
}
void StringNode::WriteTo(std::string& out) const {
  out += quoted;
}
void EndNode::WriteTo(std::string& out) const {
  out += "{{end}}";
}
void ElseNode::WriteTo(std::string& out) const {
  out += "{{else}}";
}
void BreakNode::WriteTo(std::string& out) const {
  out += "{{break}}";
}
void ContinueNode::WriteTo(std::string& out) const {
  out += "{{continue}}";
}

void BranchNode::WriteTo(std::string& out) const {
  const char* name = type == NodeType::kIf ? "if" : type == NodeType::kRange ? "range" : "with";
  out += "{{";
  out += name;
  out.push_back(' ');
  pipe->WriteTo(out);
  out += "}}";
  list->WriteTo(out);
  if (else_list) {
    out += "{{else}}";
    else_list->WriteTo(out);
  }
  out += "{{end}}";
}

void TemplateNode::WriteTo(std::string& out) const {
  out += "{{template ";
  out += Quote(name);
  if (pipe) {
    out.push_back(' ');
    pipe->WriteTo(out);
  }
  out += "}}";
}

bool IsEmptyTree(const Node* node) {
  if (node == nullptr) return true;
  switch (node->type) {
    case NodeType::kComment:
      return true;
    case NodeType::kList:
      for (const NodePtr& n : static_cast<const ListNode*>(node)->nodes)
        if (!IsEmptyTree(n.get())) return false;
      return true;
    case NodeType::kText: {
      const std::string& t = static_cast<const TextNode*>(node)->text;
      // bytes.TrimSpace: ASCII spaces plus Unicode spaces; ASCII covers what charts contain.
      for (char c : t)
        if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'))
          return false;
      return true;
    }
    default:
      return false;
  }
}

void ErrorContext(const Node& node, std::string& location, std::string& context) {
  const std::string& text = node.source->text;
  size_t pos = std::min(static_cast<size_t>(node.pos), text.size());
  std::string_view before(text.data(), pos);
  size_t nl = before.rfind('\n');
  size_t byte_num = nl == std::string_view::npos ? pos : pos - (nl + 1);
  size_t line = 1;
  for (char c : before)
    if (c == '\n') ++line;
  location = node.source->parse_name + ":" + std::to_string(line) + ":" + std::to_string(byte_num);
  context = node.String();
}

}  // namespace rayctl::tmpl
