// Go text/template end to end: the input is a template; it is parsed and executed with Helm's
// function table against a small values tree, under a step and output budget (Go has none; the
// budget only keeps `range 1000000000` from looking like a hang). Errors are the engine's
// runtime_error family; anything else escaping, or a sanitizer report, is a bug.
#include <pthread.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "deploy/template/function_table.h"
#include "deploy/template/parser.h"
#include "deploy/template/template_set.h"
#include "deploy/template/value.h"
#include "deploy/template/yaml.h"

using namespace rayctl::tmpl;

namespace {

const char kValues[] = R"(
Values:
  name: web
  replicas: 3
  ratio: 0.5
  enabled: true
  empty: ""
  nothing: null
  list: [a, b, 1, 2.5, true, null, {k: v}]
  map: {a: 1, b: "two", c: [x], d: {e: f}}
  image: {repository: nginx, tag: "1.25", pullPolicy: IfNotPresent}
Release: {Name: rel, Namespace: ns, Service: Helm, IsInstall: true}
Chart: {Name: demo, Version: 0.1.0, AppVersion: "1.0"}
)";

// One long-lived thread with a large stack runs every input (deep template recursion needs it):
// the library's RunWithLargeStack makes a new thread per call, which under ASan costs more than
// the input itself.
class BigStackRunner {
 public:
  BigStackRunner() {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, size_t{1} << 30);
    pthread_create(&thread_, &attr, &BigStackRunner::Main, this);
    pthread_attr_destroy(&attr);
  }
  void Run(const std::function<void()>& fn) {
    std::unique_lock lock(mu_);
    job_ = &fn;
    cv_.notify_all();
    cv_.wait(lock, [&] { return job_ == nullptr; });
  }

 private:
  static void* Main(void* self) {
    auto* r = static_cast<BigStackRunner*>(self);
    std::unique_lock lock(r->mu_);
    for (;;) {
      r->cv_.wait(lock, [&] { return r->job_ != nullptr; });
      (*r->job_)();
      r->job_ = nullptr;
      r->cv_.notify_all();
    }
    return nullptr;
  }
  pthread_t thread_{};
  std::mutex mu_;
  std::condition_variable cv_;
  const std::function<void()>* job_ = nullptr;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  static const auto functions = std::make_shared<const FunctionTable>(HelmFunctionTable());
  static const Value values = DecodeYaml(kValues);
  std::string text(reinterpret_cast<const char*>(data), size);
  // Never destroyed: at exit, destroying the condition variable its thread waits on would block.
  static BigStackRunner* runner = new BigStackRunner;
  runner->Run([&] {
    try {
      TemplateSet set(functions, "fuzz");
      set.set_missing_key(MissingKey::kZero);
      set.Parse("fuzz", text);
      ExecutionEnv env;
      env.max_steps = 20000;
      env.max_output = 1 << 20;
      std::string out;
      set.Execute("fuzz", values, out, env);
    } catch (const std::runtime_error&) {
    }
  });
  return 0;
}
