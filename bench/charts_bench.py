#!/usr/bin/env python3
"""Times `rayctl template` per case, process start included, against the 20 ms target.

Cases: every case of tests/fixtures/charts/cases.yaml and tests/charts/ray-cluster/cases.yaml,
plus a synthetic chart of 200 templates (generated here: Deployments, Services and ConfigMaps that
use include, range, with, toYaml, nindent, printf and default like real charts do). Each case runs
--runs times after one warm-up; wall time is measured around the process, CPU (user + sys) from
the children's rusage. Prints a table and, with --markdown, the table PERFORMANCE.md carries.

Usage: python3 bench/charts_bench.py [--rayctl build/bin/rayctl] [--runs 20] [--markdown]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import yaml  # python3-yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET_MS = 20.0


def synthetic_chart(path, n=200):
    os.makedirs(os.path.join(path, "templates"))
    with open(os.path.join(path, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: synthetic\nversion: 1.0.0\nappVersion: \"2.0\"\n")
    values = {"image": {"repository": "registry.local/app", "tag": "", "pullPolicy": "IfNotPresent"},
              "labels": {"team": "data", "tier": "backend"},
              "resources": {"limits": {"cpu": "1", "memory": "1Gi"},
                            "requests": {"cpu": "500m", "memory": "512Mi"}},
              "services": [{"name": "svc%03d" % i, "port": 8000 + i, "replicas": i % 5 + 1,
                            "env": {"KEY_%d" % j: "value-%d-%d" % (i, j) for j in range(5)}}
                           for i in range(n)]}
    with open(os.path.join(path, "values.yaml"), "w") as f:
        yaml.safe_dump(values, f, sort_keys=False)
    with open(os.path.join(path, "templates", "_helpers.tpl"), "w") as f:
        f.write('''{{- define "syn.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "syn.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.labels }}
{{ toYaml . }}
{{- end }}
{{- end -}}
''')
    kinds = ["deployment", "service", "configmap"]
    for i in range(n):
        kind = kinds[i % 3]
        body = ['{{- $svc := index .Values.services %d }}' % i,
                '{{- $root := . }}']
        if kind == "deployment":
            body.append('''apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "syn.fullname" . }}-{{ $svc.name }}
  labels:
    {{- include "syn.labels" . | nindent 4 }}
spec:
  replicas: {{ $svc.replicas }}
  selector:
    matchLabels:
      app: {{ $svc.name }}
  template:
    metadata:
      labels:
        app: {{ $svc.name }}
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - containerPort: {{ $svc.port }}
          env:
            {{- range $k, $v := $svc.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}''')
        elif kind == "service":
            body.append('''apiVersion: v1
kind: Service
metadata:
  name: {{ include "syn.fullname" . }}-{{ $svc.name }}
  labels:
    {{- include "syn.labels" . | nindent 4 }}
spec:
  selector:
    app: {{ $svc.name }}
  ports:
    - port: {{ $svc.port }}
      targetPort: {{ $svc.port }}''')
        else:
            body.append('''apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "syn.fullname" . }}-{{ $svc.name }}
  labels:
    {{- include "syn.labels" . | nindent 4 }}
data:
  {{- with $svc.env }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  settings.json: {{ $svc | toJson | quote }}''')
        with open(os.path.join(path, "templates", "%s-%03d.yaml" % (kind, i)), "w") as f:
            f.write("\n".join(body) + "\n")


def load_cases(directory):
    with open(os.path.join(directory, "cases.yaml")) as f:
        return [(c["name"], directory, [c["release"], c["chart"]] + c["args"],
                 "expect" in c) for c in yaml.safe_load(f)]


def run_case(rayctl, cwd, args, runs):
    cmd = [rayctl, "template"] + args
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
    walls, cpus = [], []
    rc = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
        rc = p.returncode
    return statistics.median(walls), statistics.median(cpus), max(walls), rc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rayctl", default=os.path.join(ROOT, "build", "bin", "rayctl"))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--markdown", action="store_true")
    opts = ap.parse_args()
    rayctl = os.path.abspath(opts.rayctl)

    cases = load_cases(os.path.join(ROOT, "tests", "fixtures", "charts"))
    cases += [("ray-cluster/" + n, d, a, ok)
              for n, d, a, ok in load_cases(os.path.join(ROOT, "tests", "charts", "ray-cluster"))]
    with tempfile.TemporaryDirectory(prefix="rayctl-bench-") as tmp:
        synthetic_chart(os.path.join(tmp, "synthetic"))
        cases.append(("synthetic-200-templates", tmp, ["syn", "synthetic"], True))

        start_wall, start_cpu, _, _ = run_case(rayctl, tmp, ["--help"], opts.runs)
        rows = []
        for name, cwd, args, ok in cases:
            wall, cpu, worst, rc = run_case(rayctl, cwd, args, opts.runs)
            if (rc == 0) != ok:
                print("case %s: exit code %s" % (name, rc), file=sys.stderr)
            rows.append((name, wall, cpu, worst))

    load = os.getloadavg()[0]
    if opts.markdown:
        print("| case | wall (median) | CPU (median) | wall (max) | < 20 ms |")
        print("|---|---|---|---|---|")
        for name, wall, cpu, worst in rows:
            print("| %s | %.1f ms | %.1f ms | %.1f ms | %s |" %
                  (name, wall, cpu, worst, "yes" if wall < TARGET_MS else "**no**"))
        print("| *(process start: `rayctl template --help`)* | %.1f ms | %.1f ms | | |" %
              (start_wall, start_cpu))
    else:
        print("%-40s %10s %10s %10s" % ("case", "wall ms", "cpu ms", "max ms"))
        for name, wall, cpu, worst in rows:
            print("%-40s %10.1f %10.1f %10.1f%s" %
                  (name, wall, cpu, worst, "" if wall < TARGET_MS else "  > 20 ms"))
        print("%-40s %10.1f %10.1f" % ("(rayctl template --help)", start_wall, start_cpu))
    walls = [r[1] for r in rows]
    print("\n%d cases, %d runs each: median of medians %.1f ms, worst median %.1f ms (%s); "
          "%d of %d under %.0f ms; load average %.1f" %
          (len(rows), opts.runs, statistics.median(walls), max(walls),
           rows[walls.index(max(walls))][0], sum(w < TARGET_MS for w in walls), len(rows),
           TARGET_MS, load))


if __name__ == "__main__":
    main()
