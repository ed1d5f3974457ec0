// The chart-derived objects a template sees: .Chart (Helm's struct { chart.Metadata; IsRoot bool })
// and .Files (engine.files: a map of file name to bytes with Get, GetBytes, Glob, Lines, AsConfig
// and AsSecrets). Built per render from a loaded chart.
#pragma once

#include "deploy/chart.h"
#include "deploy/template/value.h"

namespace rayctl::deploy {

tmpl::Value ChartValue(const Chart& chart);
tmpl::Value FilesValue(const std::vector<ChartFile>& files);

}  // namespace rayctl::deploy
