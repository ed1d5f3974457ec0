// rayctl template: Helm v3's `helm template`, byte for byte, without Helm (DESIGN.md §2); with
// --registry, the same output with every container image moved under a private registry by the
// bulk mirror's rewrite rule, and not another byte changed.
#include <malloc.h>

#include <cerrno>
#include <cstdio>
#include <optional>

#include "cli/chart_flags.h"
#include "cli/command.h"
#include "common/error.h"
#include "deploy/container_images.h"
#include "deploy/render.h"
#include "mirror/rewrite.h"

namespace rayctl::cli {

namespace {

struct TemplateArgs {
  std::vector<std::string> positional;
  ChartFlags chart;
  std::string registry;
  deploy::RenderOptions options;
};

}  // namespace

void RegisterTemplate(CommandContext& ctx) {
  auto args = std::make_shared<TemplateArgs>();
  CLI::App* cmd = ctx.Add(
      "template", "Render a Helm chart locally and print the manifests, like 'helm template'",
      [args]() -> int {
        if (args->positional.empty() || args->positional.size() > 2)
          throw InputError("\"rayctl template\" requires 1 or 2 arguments: [RELEASE] CHART",
                           "run 'rayctl template --help'");
        // A malformed --registry is refused before anything renders.
        std::optional<mirror::RegistryPrefix> registry;
        if (!args->registry.empty())
          registry = mirror::RegistryPrefix::Parse(args->registry, "--registry");
        deploy::RenderOptions options = args->options;
        std::string chart = args->positional.back();
        if (args->positional.size() == 2) options.release_name = args->positional.front();
        args->chart.Apply(options);
        // Templates execute on a thread of their own (for Go's deep recursion), which glibc
        // would give a malloc arena of its own, grown a page at a time with an mprotect each
        // (600 of them for 200 templates, ~8% of that run). This command runs nothing else
        // meanwhile, so every thread shares the main heap.
        mallopt(M_ARENA_MAX, 1);
        deploy::RenderedOutput out = deploy::RenderChart(chart, options);
        if (registry) {
          std::string text = deploy::RewriteImagesUnder(out.str(), *registry);
          if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
              std::fflush(stdout) != 0)
            throw SystemError("writing the rendered manifests", errno);
          return kExitOk;
        }
        if (!out.WriteTo(stdout)) throw SystemError("writing the rendered manifests", errno);
        return kExitOk;
      });
  cmd->add_option("args", args->positional, "[RELEASE] CHART: a chart directory or .tgz");
  AddChartFlags(cmd, args->chart);
  cmd->add_option("-s,--show-only", args->options.show_only,
                  "Only print manifests rendered from these templates (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--include-crds", args->options.include_crds, "Print the chart's CRDs first");
  cmd->add_flag("--skip-tests", args->options.skip_tests, "Leave out test hooks");
  cmd->add_flag("--is-upgrade", args->options.is_upgrade, "Set .Release.IsUpgrade");
  cmd->add_flag("--skip-schema-validation", args->options.skip_schema_validation,
                "Do not check values against values.schema.json");
  cmd->add_option("--registry", args->registry,
                  "Rewrite every container image under this registry, as 'rayctl mirror' "
                  "pushes them: quay.io/kuberay/operator:v1.2.2 -> "
                  "HOST/PREFIX/kuberay/operator:v1.2.2")
      ->type_name("HOST[:PORT][/PREFIX]");
}

}  // namespace rayctl::cli
