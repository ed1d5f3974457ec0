// The executor of Go's text/template (exec.go) over Value: walks a tree with a data cursor and a
// variable stack, evaluates pipelines, fields, methods and function calls with Go's argument
// rules, and reports errors with Go's exact wording and position.
#include <pthread.h>

#include <exception>
#include <utility>
#include <vector>

#include "deploy/template/gofmt.h"
#include "deploy/template/template_set.h"

namespace rayctl::tmpl {

namespace {

constexpr int kMaxExecDepth = 100000;

enum class Flow { kNormal, kBreak, kContinue };

// A node's argument list as Go passes it around: absent (nil), or the command's words, whose
// first is the function or field itself.
struct ArgNodes {
  const NodePtr* nodes = nullptr;
  size_t count = 0;  // includes the zeroth word
  bool present = false;
};

bool CanBeNil(const Param& p) {
  switch (p.type) {
    case Param::kAny:
    case Param::kReflect:
    case Param::kList:
    case Param::kStringList:
    case Param::kMap:
    case Param::kBytes:
      return true;
    case Param::kObject:
      return !p.object_type.empty() && p.object_type[0] == '*';
    default:
      return false;
  }
}

Value ZeroOf(const Param& p) {
  switch (p.type) {
    case Param::kAny:
      return Value::Nil();
    case Param::kList:
      return Value::NewList();
    case Param::kStringList:
      return Value::NewList({}, StringListType());
    case Param::kMap:
      return Value::NewMap();
    case Param::kBytes:
      return Value::Bytes("");
    case Param::kObject:
      return Value::Nil();
    default:
      return Value();
  }
}

// Whether a value of this (static) type is assignable to the parameter type, as Go decides.
bool Assignable(const Value& v, const Param& p) {
  if (v.boxed()) return p.type == Param::kAny || p.type == Param::kReflect;
  switch (p.type) {
    case Param::kAny:
    case Param::kReflect:
      return true;
    case Param::kBool:
      return v.kind() == Kind::kBool;
    case Param::kInt:
      return v.kind() == Kind::kInt;
    case Param::kInt64:
      return v.kind() == Kind::kInt64;
    case Param::kUint64:
      return v.kind() == Kind::kUint64;
    case Param::kFloat64:
      return v.kind() == Kind::kFloat64;
    case Param::kString:
      return v.kind() == Kind::kString;
    case Param::kBytes:
      return v.kind() == Kind::kBytes;
    case Param::kList:
      return v.kind() == Kind::kList && v.AsList().type->ElemIsInterface();
    case Param::kStringList:
      return v.kind() == Kind::kList && v.AsList().type->elem_kind == Kind::kString;
    case Param::kMap:
      return v.kind() == Kind::kMap && v.AsMap().type->ElemIsInterface();
    case Param::kObject:
      return v.kind() == Kind::kObject && v.AsObject().TypeName() == p.object_type;
  }
  return false;
}

// What a pipeline stage leaves: a value read from an interface{} slot becomes its concrete
// value, and a nil interface becomes "no value".
Value Dig(const Value& v) {
  if (v.kind() == Kind::kNil) return Value();
  return v.boxed() ? v.Unboxed() : v;
}

// Go's indirectInterface: the concrete value in an interface, or invalid for a nil one.
Value IndirectInterface(const Value& v) {
  if (v.kind() == Kind::kNil) return Value();
  return v.boxed() ? v.Unboxed() : v;
}

// Go's indirect: through interfaces and pointers; is_nil when it meets a nil one.
Value Indirect(const Value& v, bool& is_nil) {
  is_nil = false;
  if (v.kind() == Kind::kNil) {
    is_nil = true;
    return v;
  }
  if (v.kind() == Kind::kObject && v.AsObject().IsNilPointer()) {
    is_nil = true;
    return v;
  }
  return v.boxed() ? v.Unboxed() : v;
}

bool IsHexInt(const std::string& s) {
  return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
         s.find_first_of("pP") == std::string::npos;
}

class State final : public CallContext {
 public:
  State(const TemplateSet& set, const Tree& tmpl, std::string& out, ExecutionEnv& env)
      : set_(set), tmpl_(&tmpl), out_(out), env_(env) {}

  void Run(const Value& data) {
    vars_.clear();
    vars_.emplace_back("$", data);
    Walk(data, tmpl_->root.get());
  }

  // ---- CallContext
  std::string ExecuteTemplate(const std::string& name, const Value& data) override {
    std::string out;
    set_.Execute(name, data, out, env_);
    return out;
  }
  std::string ExecuteText(const std::string& name, const std::string& text,
                          const Value& data) override {
    TemplateSet clone = set_.Clone();
    clone.Parse(name, text);
    std::string out;
    clone.Execute(name, data, out, env_);
    return out;
  }
  std::string RootName() const override { return set_.name(); }
  int& IncludeDepth(const std::string& name) override { return env_.include_depth[name]; }

 private:
  // ------------------------------------------------------------ errors
  [[noreturn]] void Errorf(const std::string& message) {
    std::string full;
    if (node_ == nullptr) {
      full = "template: " + tmpl_->name + ": " + message;
    } else {
      std::string location, context;
      ErrorContext(*node_, location, context);
      full = "template: " + location + ": executing " + Quote(tmpl_->name) + " at <" + context +
             ">: " + message;
    }
    throw ExecError(tmpl_->name, full);
  }

  void At(const Node* node) { node_ = node; }

  // ------------------------------------------------------------ variables
  void Push(const std::string& name, const Value& v) { vars_.emplace_back(name, v); }
  size_t Mark() const { return vars_.size(); }
  void Pop(size_t mark) { vars_.resize(mark); }

  void SetVar(const std::string& name, const Value& v) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == name) {
        vars_[i].second = v;
        return;
      }
    }
    Errorf("undefined variable: " + name);
  }

  void SetTopVar(size_t n, const Value& v) { vars_[vars_.size() - n].second = v; }

  Value VarValue(const std::string& name) {
    for (size_t i = vars_.size(); i-- > 0;)
      if (vars_[i].first == name) return vars_[i].second;
    Errorf("undefined variable: " + name);
  }

  // ------------------------------------------------------------ walking
  Flow Walk(const Value& dot, const Node* node) {
    At(node);
    if ((env_.max_steps != 0 && ++env_.steps > env_.max_steps) ||
        (env_.max_output != 0 && out_.size() > env_.max_output))
      Errorf("execution budget exceeded");
    switch (node->type) {
      case NodeType::kAction: {
        auto* action = static_cast<const ActionNode*>(node);
        Value val = EvalPipeline(dot, action->pipe.get());
        if (action->pipe->decl.empty()) PrintValue(node, val);
        return Flow::kNormal;
      }
      case NodeType::kBreak:
        return Flow::kBreak;
      case NodeType::kContinue:
        return Flow::kContinue;
      case NodeType::kComment:
        return Flow::kNormal;
      case NodeType::kIf:
      case NodeType::kWith:
        return WalkIfOrWith(dot, static_cast<const BranchNode*>(node));
      case NodeType::kList:
        for (const NodePtr& n : static_cast<const ListNode*>(node)->nodes) {
          Flow f = Walk(dot, n.get());
          if (f != Flow::kNormal) return f;
        }
        return Flow::kNormal;
      case NodeType::kRange:
        WalkRange(dot, static_cast<const BranchNode*>(node));
        return Flow::kNormal;
      case NodeType::kTemplate:
        WalkTemplate(dot, static_cast<const TemplateNode*>(node));
        return Flow::kNormal;
      case NodeType::kText:
        out_ += static_cast<const TextNode*>(node)->text;
        return Flow::kNormal;
      default:
        Errorf("unknown node: " + node->String());
    }
  }

  Flow WalkIfOrWith(const Value& dot, const BranchNode* node) {
    size_t mark = Mark();
    Value val = EvalPipeline(dot, node->pipe.get());
    bool truth = IndirectInterface(val).Truth();
    Flow flow = Flow::kNormal;
    if (truth) {
      flow = Walk(node->type == NodeType::kWith ? val : dot, node->list.get());
    } else if (node->else_list) {
      flow = Walk(dot, node->else_list.get());
    }
    Pop(mark);
    return flow;
  }

  void WalkRange(const Value& dot, const BranchNode* r) {
    At(r);
    size_t outer_mark = Mark();
    bool is_nil;
    Value val = Indirect(EvalPipeline(dot, r->pipe.get()), is_nil);
    size_t mark = Mark();
    const PipeNode& pipe = *r->pipe;
    bool stop = false;
    auto one_iteration = [&](const Value& index, const Value& elem) {
      if (!pipe.decl.empty()) {
        if (pipe.is_assign) {
          if (pipe.decl.size() > 1)
            SetVar(pipe.decl[0]->ident[0], index);
          else
            SetVar(pipe.decl[0]->ident[0], elem);
        } else {
          SetTopVar(1, elem);
        }
      }
      if (pipe.decl.size() > 1) {
        if (pipe.is_assign)
          SetVar(pipe.decl[1]->ident[0], elem);
        else
          SetTopVar(2, index);
      }
      Flow f = Walk(elem, r->list.get());
      Pop(mark);
      if (f == Flow::kBreak) stop = true;
    };
    bool ran = false;
    switch (val.kind()) {
      case Kind::kList: {
        // Iterate over a snapshot: the body may append to the list through `set`.
        std::shared_ptr<List> list = val.ListPtr();
        bool boxed = list->type->ElemIsInterface();
        size_t n = list->items.size();
        for (size_t i = 0; i < n && i < list->items.size() && !stop; ++i) {
          ran = true;
          Value elem = list->items[i];
          one_iteration(Value::Int(static_cast<int64_t>(i)), boxed ? elem.Boxed() : elem);
        }
        break;
      }
      case Kind::kBytes: {
        std::string bytes = val.AsString();
        for (size_t i = 0; i < bytes.size() && !stop; ++i) {
          ran = true;
          one_iteration(Value::Int(static_cast<int64_t>(i)),
                        Value::Integer(Kind::kUint8, static_cast<unsigned char>(bytes[i])));
        }
        break;
      }
      case Kind::kMap: {
        std::shared_ptr<Map> map = val.MapPtr();
        bool boxed = map->type->ElemIsInterface();
        std::vector<std::pair<std::string, Value>> entries(map->entries.begin(),
                                                           map->entries.end());
        for (auto& [k, v] : entries) {
          if (stop) break;
          ran = true;
          one_iteration(Value::String(k), boxed ? v.Boxed() : v);
        }
        break;
      }
      case Kind::kInvalid:
        break;
      default:
        if (val.IsInteger()) {
          if (pipe.decl.size() > 1)
            Errorf("can't use " + FormatV(val) + " to iterate over more than one variable");
          int64_t n = val.IsUnsignedInt()
                          ? static_cast<int64_t>(std::min<uint64_t>(val.AsUint(), INT64_MAX))
                          : val.AsInt();
          for (int64_t i = 0; i < n && !stop; ++i) {
            ran = true;
            one_iteration(Value(), Value::Integer(val.kind(), i));
          }
          break;
        }
        Errorf("range can't iterate over " + FormatV(val));
    }
    if (!ran && r->else_list) Walk(dot, r->else_list.get());
    Pop(outer_mark);
  }

  void WalkTemplate(const Value& dot, const TemplateNode* t) {
    At(t);
    const Tree* tmpl = set_.Lookup(t->name);
    if (tmpl == nullptr) Errorf("template " + Quote(t->name) + " not defined");
    if (depth_ == kMaxExecDepth)
      Errorf("exceeded maximum template depth (" + std::to_string(kMaxExecDepth) + ")");
    Value new_dot = EvalPipeline(dot, t->pipe.get());
    const Tree* saved_tmpl = tmpl_;
    std::vector<std::pair<std::string, Value>> saved_vars;
    saved_vars.swap(vars_);
    vars_.emplace_back("$", new_dot);
    tmpl_ = tmpl;
    ++depth_;
    Walk(new_dot, tmpl->root.get());
    --depth_;
    tmpl_ = saved_tmpl;
    vars_.swap(saved_vars);
  }

  // ------------------------------------------------------------ evaluation
  Value EvalPipeline(const Value& dot, const PipeNode* pipe) {
    if (pipe == nullptr) return Value();
    At(pipe);
    Value value;
    bool have_final = false;
    for (const auto& cmd : pipe->cmds) {
      value = EvalCommand(dot, cmd.get(), have_final ? &value : nullptr);
      have_final = true;
      value = Dig(value);
    }
    for (const auto& var : pipe->decl) {
      if (pipe->is_assign)
        SetVar(var->ident[0], value);
      else
        Push(var->ident[0], value);
    }
    return value;
  }

  void NotAFunction(ArgNodes args, const Value* final) {
    if (args.count > 1 || final != nullptr)
      Errorf("can't give argument to non-function " + args.nodes[0]->String());
  }

  Value EvalCommand(const Value& dot, const CommandNode* cmd, const Value* final) {
    const Node* first = cmd->args[0].get();
    ArgNodes args{cmd->args.data(), cmd->args.size(), true};
    switch (first->type) {
      case NodeType::kField:
        return EvalFieldNode(dot, static_cast<const FieldNode*>(first), args, final);
      case NodeType::kChain:
        return EvalChainNode(dot, static_cast<const ChainNode*>(first), args, final);
      case NodeType::kIdentifier:
        return EvalFunction(dot, static_cast<const IdentifierNode*>(first), cmd, args, final);
      case NodeType::kPipe:
        NotAFunction(args, final);
        return EvalPipeline(dot, static_cast<const PipeNode*>(first));
      case NodeType::kVariable:
        return EvalVariableNode(dot, static_cast<const VariableNode*>(first), args, final);
      default:
        break;
    }
    At(first);
    NotAFunction(args, final);
    switch (first->type) {
      case NodeType::kBool:
        return Value::Bool(static_cast<const BoolNode*>(first)->value);
      case NodeType::kDot:
        return dot;
      case NodeType::kNil:
        Errorf("nil is not a command");
      case NodeType::kNumber:
        return IdealConstant(static_cast<const NumberNode*>(first));
      case NodeType::kString:
        return Value::String(static_cast<const StringNode*>(first)->text);
      default:
        Errorf("can't evaluate command " + Quote(first->String()));
    }
  }

  Value IdealConstant(const NumberNode* c) {
    At(c);
    if (c->is_complex) return Value::Complex(c->complex128);
    if (c->is_float && !IsHexInt(c->text) && !(c->text.size() > 0 && c->text[0] == '\'') &&
        c->text.find_first_of(".eEpP") != std::string::npos)
      return Value::Float64(c->float64);
    if (c->is_int) return Value::Int(c->int64);
    if (c->is_uint) Errorf(c->text + " overflows int");
    return Value();
  }

  Value EvalFieldNode(const Value& dot, const FieldNode* field, ArgNodes args, const Value* final) {
    At(field);
    return EvalFieldChain(dot, dot, field, field->ident, 0, args, final);
  }

  Value EvalChainNode(const Value& dot, const ChainNode* chain, ArgNodes args, const Value* final) {
    At(chain);
    if (chain->field.empty()) Errorf("internal error: no fields in evalChainNode");
    if (chain->node->type == NodeType::kNil)
      Errorf("indirection through explicit nil in " + chain->String());
    Value pipe = EvalArg(dot, nullptr, chain->node.get());
    return EvalFieldChain(dot, pipe, chain, chain->field, 0, args, final);
  }

  Value EvalVariableNode(const Value& dot, const VariableNode* variable, ArgNodes args,
                         const Value* final) {
    At(variable);
    Value value = VarValue(variable->ident[0]);
    if (variable->ident.size() == 1) {
      NotAFunction(args, final);
      return value;
    }
    return EvalFieldChain(dot, value, variable, variable->ident, 1, args, final);
  }

  Value EvalFieldChain(const Value& dot, Value receiver, const Node* node,
                       const std::vector<std::string>& ident, size_t first, ArgNodes args,
                       const Value* final) {
    size_t n = ident.size();
    for (size_t i = first; i + 1 < n; ++i)
      receiver = EvalField(dot, ident[i], node, ArgNodes{}, nullptr, receiver);
    return EvalField(dot, ident[n - 1], node, args, final, receiver);
  }

  Value EvalFunction(const Value& dot, const IdentifierNode* node, const Node* cmd, ArgNodes args,
                     const Value* final) {
    At(node);
    const Function* fn = set_.functions().Find(node->ident);
    if (fn == nullptr) Errorf(Quote(node->ident) + " is not a defined function");
    return EvalCall(dot, *fn, cmd, node->ident, args, final);
  }

  Value EvalField(const Value& dot, const std::string& field_name, const Node* node, ArgNodes args,
                  const Value* final, const Value& receiver_in) {
    if (!receiver_in.IsValid()) {
      if (set_.missing_key() == MissingKey::kError)
        Errorf("nil data; no entry for key " + Quote(field_name));
      return Value();
    }
    std::string typ = receiver_in.StaticTypeName();
    bool is_nil;
    Value receiver = Indirect(receiver_in, is_nil);
    if (receiver.kind() == Kind::kNil && is_nil)
      Errorf("nil pointer evaluating " + typ + "." + field_name);

    // Methods first, as Go looks them up before fields and map keys.
    std::optional<Function> method;
    if (receiver.kind() == Kind::kObject) {
      method = receiver.AsObject().Method(field_name);
    } else if (receiver.kind() == Kind::kMap && receiver.AsMap().type->method) {
      method = receiver.AsMap().type->method(receiver, field_name);
    } else if (receiver.kind() == Kind::kList && receiver.AsList().type->method) {
      method = receiver.AsList().type->method(receiver, field_name);
    }
    if (method) return EvalCall(dot, *method, node, field_name, args, final);

    bool has_args = args.count > 1 || final != nullptr;
    switch (receiver.kind()) {
      case Kind::kObject: {
        const Object& obj = receiver.AsObject();
        if (obj.IsNilPointer()) {
          if (obj.Field(field_name)) Errorf("nil pointer evaluating " + typ + "." + field_name);
          break;
        }
        if (std::optional<Value> field = obj.Field(field_name)) {
          if (has_args) Errorf(field_name + " has arguments but cannot be invoked as function");
          return *field;
        }
        break;
      }
      case Kind::kMap: {
        if (has_args) Errorf(field_name + " is not a method but has arguments");
        const Map& map = receiver.AsMap();
        auto it = map.entries.find(field_name);
        bool boxed = map.type->ElemIsInterface();
        if (it != map.entries.end()) return boxed ? it->second.Boxed() : it->second;
        switch (set_.missing_key()) {
          case MissingKey::kDefault:
            return Value();
          case MissingKey::kZero:
            return ZeroElem(*map.type);
          case MissingKey::kError:
            Errorf("map has no entry for key " + Quote(field_name));
        }
        break;
      }
      default:
        break;
    }
    Errorf("can't evaluate field " + field_name + " in type " + typ);
  }

  static Value ZeroElem(const CompositeType& type) {
    switch (type.elem_kind) {
      case Kind::kNil:
        return Value::Nil().Boxed();
      case Kind::kString:
        return Value::String("");
      case Kind::kBytes:
        return Value::Bytes("");
      case Kind::kBool:
        return Value::Bool(false);
      case Kind::kFloat32:
      case Kind::kFloat64:
        return Value::Float(type.elem_kind, 0);
      default:
        if (type.elem_kind >= Kind::kInt && type.elem_kind <= Kind::kUintptr)
          return Value::Integer(type.elem_kind, 0);
        return Value();
    }
  }

  Value EvalCall(const Value& dot, const Function& fn, const Node* node, const std::string& name,
                 ArgNodes args, const Value* final) {
    const NodePtr* arg_nodes = args.present && args.count > 1 ? args.nodes + 1 : nullptr;
    size_t nargs = args.present && args.count > 0 ? args.count - 1 : 0;
    size_t num_in = nargs + (final ? 1 : 0);
    size_t num_fixed = nargs;
    size_t nparams = fn.params.size();
    if (fn.variadic) {
      num_fixed = nparams - 1;
      if (num_in < num_fixed)
        Errorf("wrong number of args for " + name + ": want at least " +
               std::to_string(nparams - 1) + " got " + std::to_string(nargs));
    } else if (num_in != nparams) {
      Errorf("wrong number of args for " + name + ": want " + std::to_string(nparams) + " got " +
             std::to_string(num_in));
    }

    if (fn.builtin && (name == "and" || name == "or")) {
      Param reflect(Param::kReflect);
      Value v;
      for (size_t i = 0; i < nargs; ++i) {
        v = EvalArg(dot, &reflect, arg_nodes[i].get());
        if (IndirectInterface(v).Truth() == (name == "or")) return v;
      }
      if (final != nullptr) v = ValidateType(*final, &reflect);
      return v;
    }

    std::vector<Value> argv;
    argv.reserve(num_in);
    size_t i = 0;
    for (; i < num_fixed && i < nargs; ++i)
      argv.push_back(EvalArg(dot, &fn.params[i], arg_nodes[i].get()));
    if (fn.variadic) {
      const Param& elem = fn.params.back();
      for (; i < nargs; ++i)
        argv.push_back(EvalArg(dot, &elem, arg_nodes[i].get()));
    }
    if (final != nullptr) {
      const Param* t = &fn.params.back();
      if (fn.variadic && num_in - 1 < num_fixed) t = &fn.params[num_in - 1];
      argv.push_back(ValidateType(*final, t));
    }
    // Parameters of type interface{} see the concrete value, nil as Nil.
    for (size_t k = 0; k < argv.size(); ++k) {
      const Param& p = k < nparams ? fn.params[k] : fn.params.back();
      const Param& eff = (fn.variadic && k >= nparams - 1) ? fn.params.back() : p;
      if (eff.type == Param::kAny) {
        if (!argv[k].IsValid() || argv[k].IsNil())
          argv[k] = Value::Nil();
        else if (argv[k].boxed())
          argv[k] = argv[k].Unboxed();
      }
    }

    if (fn.builtin && name == "call") return CallBuiltin(args, final, argv, node);

    try {
      return fn.call(*this, Args(argv));
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {
      At(node);
      Errorf("error calling " + name + ": " + e.what());
    }
  }

  // Go's call builtin: there are no function values in chart data, so it always fails as Go's
  // does for a non-function.
  Value CallBuiltin(ArgNodes args, const Value* final, const std::vector<Value>& argv,
                    const Node* node) {
    std::string callee = args.count > 1 ? args.nodes[1]->String() : (final ? FormatV(*final) : "");
    Value fn = argv.empty() ? Value() : IndirectInterface(argv[0]);
    At(node);
    if (!fn.IsValid()) Errorf("error calling call: call of nil");
    Errorf("error calling call: non-function " + callee + " of type " + fn.TypeName());
  }

  Value ValidateType(const Value& value, const Param* typ) {
    if (!value.IsValid()) {
      if (typ == nullptr) return Value();
      if (CanBeNil(*typ)) return ZeroOf(*typ);
      Errorf("invalid value; expected " + typ->GoName());
    }
    if (typ == nullptr || typ->type == Param::kReflect) return value;
    if (typ->type == Param::kAny) return value;
    if (Assignable(value, *typ)) return value;
    Value v = value;
    if (v.boxed() && v.kind() != Kind::kNil) {
      v = v.Unboxed();
      if (Assignable(v, *typ)) return v;
    }
    Errorf("wrong type for value; expected " + typ->GoName() + "; got " + v.StaticTypeName());
  }

  Value EvalArg(const Value& dot, const Param* typ, const Node* n) {
    At(n);
    switch (n->type) {
      case NodeType::kDot:
        return ValidateType(dot, typ);
      case NodeType::kNil:
        if (typ != nullptr && CanBeNil(*typ)) return ZeroOf(*typ);
        Errorf("cannot assign nil to " + (typ ? typ->GoName() : std::string("<nil>")));
      case NodeType::kField: {
        ArgNodes self{nullptr, 1, true};
        return ValidateType(EvalFieldNode(dot, static_cast<const FieldNode*>(n), self, nullptr),
                            typ);
      }
      case NodeType::kVariable:
        return ValidateType(
            EvalVariableNode(dot, static_cast<const VariableNode*>(n), ArgNodes{}, nullptr), typ);
      case NodeType::kPipe:
        return ValidateType(EvalPipeline(dot, static_cast<const PipeNode*>(n)), typ);
      case NodeType::kIdentifier: {
        auto* ident = static_cast<const IdentifierNode*>(n);
        return ValidateType(EvalFunction(dot, ident, ident, ArgNodes{}, nullptr), typ);
      }
      case NodeType::kChain:
        return ValidateType(
            EvalChainNode(dot, static_cast<const ChainNode*>(n), ArgNodes{}, nullptr), typ);
      default:
        break;
    }
    if (typ == nullptr) Errorf("can't handle " + n->String() + " for arg of type <nil>");
    switch (typ->type) {
      case Param::kBool:
        if (n->type == NodeType::kBool) return Value::Bool(static_cast<const BoolNode*>(n)->value);
        Errorf("expected bool; found " + n->String());
      case Param::kFloat64:
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_float)
          return Value::Float64(static_cast<const NumberNode*>(n)->float64);
        Errorf("expected float; found " + n->String());
      case Param::kInt:
      case Param::kInt64:
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_int)
          return Value::Integer(typ->type == Param::kInt ? Kind::kInt : Kind::kInt64,
                                static_cast<const NumberNode*>(n)->int64);
        Errorf("expected integer; found " + n->String());
      case Param::kUint64:
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_uint)
          return Value::Integer(Kind::kUint64,
                                static_cast<int64_t>(static_cast<const NumberNode*>(n)->uint64));
        Errorf("expected unsigned integer; found " + n->String());
      case Param::kAny:
      case Param::kReflect:
        return EvalEmptyInterface(dot, n);
      case Param::kString:
        if (n->type == NodeType::kString)
          return Value::String(static_cast<const StringNode*>(n)->text);
        Errorf("expected string; found " + n->String());
      default:
        Errorf("can't handle " + n->String() + " for arg of type " + typ->GoName());
    }
  }

  Value EvalEmptyInterface(const Value& dot, const Node* n) {
    At(n);
    switch (n->type) {
      case NodeType::kBool:
        return Value::Bool(static_cast<const BoolNode*>(n)->value);
      case NodeType::kDot:
        return dot;
      case NodeType::kNumber:
        return IdealConstant(static_cast<const NumberNode*>(n));
      case NodeType::kString:
        return Value::String(static_cast<const StringNode*>(n)->text);
      default:
        Errorf("can't handle assignment of " + n->String() + " to empty interface argument");
    }
  }

  void PrintValue(const Node* n, const Value& v) {
    At(n);
    if (!v.IsValid()) {
      out_ += "<no value>";
      return;
    }
    AppendV(out_, v);
  }

  const TemplateSet& set_;
  const Tree* tmpl_;
  std::string& out_;
  ExecutionEnv& env_;
  const Node* node_ = nullptr;
  std::vector<std::pair<std::string, Value>> vars_;
  int depth_ = 0;
};

}  // namespace

TemplateSet::TemplateSet(std::shared_ptr<const FunctionTable> functions, std::string name)
    : functions_(std::move(functions)), name_(std::move(name)) {}

void TemplateSet::Parse(const std::string& name, const std::string& text) {
  auto trees = ParseTemplate(name, text, *functions_);
  for (auto& [tree_name, tree] : trees) {
    auto it = templates_.find(tree_name);
    if (it != templates_.end() && IsEmptyTree(tree->root.get())) continue;
    templates_[tree_name] = tree;
  }
}

const Tree* TemplateSet::Lookup(std::string_view name) const {
  auto it = templates_.find(name);
  return it == templates_.end() ? nullptr : it->second.get();
}

TemplateSet TemplateSet::Clone() const {
  return *this;
}

void TemplateSet::Execute(const std::string& name, const Value& data, std::string& out,
                          ExecutionEnv& env) const {
  const Tree* tree = Lookup(name);
  if (tree == nullptr)
    throw TemplateError("template: no template " + Quote(name) + " associated with template " +
                        Quote(name_));
  State state(*this, *tree, out, env);
  state.Run(data);
}

void RunWithLargeStack(const std::function<void()>& fn) {
  struct Job {
    const std::function<void()>* fn;
    std::exception_ptr error;
  } job{&fn, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t{2} << 30);  // reserved, touched only as used
  pthread_t thread;
  auto body = [](void* arg) -> void* {
    auto* j = static_cast<Job*>(arg);
    try {
      (*j->fn)();
    } catch (...) {
      j->error = std::current_exception();
    }
    return nullptr;
  };
  int rc = pthread_create(&thread, &attr, body, &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    fn();  // no thread to be had: run here with the stack there is
    return;
  }
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace rayctl::tmpl
