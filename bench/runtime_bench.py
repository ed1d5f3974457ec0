#!/usr/bin/python3
"""Benchmark of rayctl's bundled runtime against Dask's LocalCluster, side by side in one run.

Measures, for rayctl (the built rayctl + rayd):
  * up -> first job RUNNING: `rayctl up --workers 1`, submit a job, poll until it runs;
  * submit -> RUNNING latency: POST /api/jobs/ until the job is seen out of PENDING (median of N);
  * a burst of 100 jobs: all submitted at once (8 connections), all must SUCCEED, none lost;
    jobs per second from the first submission to the last job's end.
and for Dask (Debian's python3-distributed; LocalCluster with 2 processes x 1 thread):
  * cluster start -> first result;
  * a no-op task's round trip (client.submit(f).result(), median of N);
  * 100 tasks that each run a shell command (`sh -c true`), the peer of 100 jobs.
Runs alternate (rayctl, then Dask) and the medians are reported with the machine's load.

Usage: python3 bench/runtime_bench.py [--build-dir build] [--runs 5] [--latency-jobs 50] [--burst 100]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

DASK_START = r"""
import time, sys
t0 = time.perf_counter()
from dask.distributed import LocalCluster, Client
t1 = time.perf_counter()
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
client = Client(cluster)
client.submit(lambda: 1).result()
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
client.close(); cluster.close()
"""

DASK_LATENCY_AND_BURST = r"""
import time, sys, subprocess, statistics
from dask.distributed import LocalCluster, Client
n, burst = int(sys.argv[1]), int(sys.argv[2])
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
client = Client(cluster)
def noop(i): return i
client.submit(noop, -1).result()
lat = []
for i in range(n):
    t = time.perf_counter(); client.submit(noop, i, pure=False).result(); lat.append(time.perf_counter() - t)
def shell(i): return subprocess.run(["sh", "-c", "true"]).returncode
t = time.perf_counter()
codes = client.gather(client.map(shell, range(burst), pure=False))
el = time.perf_counter() - t
print(statistics.median(lat), sorted(lat)[int(0.9 * len(lat))], el, sum(c == 0 for c in codes))
client.close(); cluster.close()
"""


def free_port():
    # Below the ephemeral range, where client connections never take the port.
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
    while True:
        port = random.randint(15000, low - 1)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                pass


def load():
    return open("/proc/loadavg").read().split()[0]


class Dashboard:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        payload = json.dumps(body) if body is not None else None
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            r = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closes keep-alive connections idle for 5 s; open a new one.
            self.conn.close()
            self.conn.request(method, path, body=payload, headers=headers)
            r = self.conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"{method} {path}: {r.status} {data[:200]!r}")
        return json.loads(data) if data else None

    def submit(self, entrypoint):
        return self.request("POST", "/api/jobs/", {"entrypoint": entrypoint})["submission_id"]

    def status(self, job):
        return self.request("GET", f"/api/jobs/{job}")["status"]


class Cluster:
    def __init__(self, rayctl, workers):
        self.rayctl = rayctl
        self.dir = tempfile.mkdtemp(prefix="rayctl-bench-")
        self.port, self.dash = free_port(), free_port()
        self.env = dict(os.environ, RAYCTL_HOME=self.dir)
        self.env.pop("RAYCTL_ADDRESS", None)
        self.workers = workers

    def up(self):
        subprocess.run([self.rayctl, "up", "-q", "--workers", str(self.workers), "--port",
                        str(self.port), "--dashboard-port", str(self.dash)],
                       env=self.env, check=True, stdout=subprocess.DEVNULL)
        return Dashboard(self.dash)

    def down(self):
        subprocess.run([self.rayctl, "down", "-q"], env=self.env, stdout=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_started(dash, job):
    while True:
        s = dash.status(job)
        if s != "PENDING":
            return s


def bench_up(rayctl):
    c = Cluster(rayctl, workers=1)
    try:
        t0 = time.perf_counter()
        dash = c.up()
        t_up = time.perf_counter() - t0
        job = dash.submit("sleep 30")
        wait_started(dash, job)
        t_running = time.perf_counter() - t0
    finally:
        c.down()
    return t_up, t_running


def bench_latency_and_burst(rayctl, n, burst):
    c = Cluster(rayctl, workers=0)
    try:
        return measure_latency_and_burst(c, c.up(), n, burst)
    finally:
        c.down()


def measure_latency_and_burst(c, dash, n, burst):
    lat = []
    for _ in range(n):
        t = time.perf_counter()
        job = dash.submit("true")
        wait_started(dash, job)
        lat.append(time.perf_counter() - t)
    # The burst: every job submitted at once, over 8 connections (a client per thread).
    conns = [Dashboard(c.dash) for _ in range(8)]
    ids = [None] * burst
    def submit_share(k):
        for i in range(k, burst, len(conns)):
            ids[i] = conns[k].submit(f"echo {i}")
    threads = [threading.Thread(target=submit_share, args=(k,)) for k in range(len(conns))]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    t_submitted = time.perf_counter() - t
    while True:
        jobs = {j["submission_id"]: j["status"] for j in dash.request("GET", "/api/jobs/")}
        if all(jobs.get(i) in ("SUCCEEDED", "FAILED", "STOPPED") for i in ids):
            break
        time.sleep(0.005)
    elapsed = time.perf_counter() - t
    succeeded = sum(jobs[i] == "SUCCEEDED" for i in ids)
    return (statistics.median(lat), sorted(lat)[int(0.9 * len(lat))], elapsed, succeeded,
            t_submitted)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--latency-jobs", type=int, default=50)
    ap.add_argument("--burst", type=int, default=100)
    a = ap.parse_args()
    rayctl = os.path.abspath(os.path.join(a.build_dir, "bin", "rayctl"))
    if not os.access(rayctl, os.X_OK):
        sys.exit(f"error: {rayctl} not found; build first (bash scripts/build.sh)")
    # Debian's python3-distributed lives in the system interpreter, which a pyenv or venv on
    # $PATH may hide.
    dask_python = None
    for candidate in ("/usr/bin/python3", sys.executable):
        if subprocess.run([candidate, "-c", "import distributed"], capture_output=True).returncode == 0:
            dask_python = candidate
            break
    if dask_python is None:
        sys.exit("error: Dask is missing; install python3-distributed (scripts/bootstrap.sh)")

    print(f"machine: {os.cpu_count()} CPUs, load {load()} at start")
    r_up, r_run, d_import, d_start, d_wall = [], [], [], [], []
    r_lat, r_p90, r_burst, r_ok, r_submit = [], [], [], [], []
    d_lat, d_p90, d_burst, d_ok = [], [], [], []
    for run in range(a.runs):
        up, running = bench_up(rayctl)
        r_up.append(up)
        r_run.append(running)
        t = time.perf_counter()
        out = subprocess.run([dask_python, "-c", DASK_START], capture_output=True, text=True,
                             check=True).stdout.split()
        d_wall.append(time.perf_counter() - t)
        d_import.append(float(out[0]))
        d_start.append(float(out[1]))

        med, p90, el, ok, sub = bench_latency_and_burst(rayctl, a.latency_jobs, a.burst)
        r_lat.append(med), r_p90.append(p90), r_burst.append(el), r_ok.append(ok), r_submit.append(sub)
        out = subprocess.run([dask_python, "-c", DASK_LATENCY_AND_BURST, str(a.latency_jobs),
                              str(a.burst)], capture_output=True, text=True, check=True).stdout.split()
        d_lat.append(float(out[0])), d_p90.append(float(out[1])), d_burst.append(float(out[2]))
        d_ok.append(int(out[3]))
        print(f"run {run + 1}: rayctl up {up * 1000:.0f} ms, first job RUNNING {running * 1000:.0f} ms; "
              f"dask start->result {float(out and d_start[-1]) * 1000:.0f} ms; "
              f"submit->RUNNING {med * 1000:.2f} ms (dask round trip {d_lat[-1] * 1000:.2f} ms); "
              f"burst {a.burst / el:.0f} jobs/s (dask {a.burst / d_burst[-1]:.0f}/s); load {load()}")

    m = statistics.median
    print()
    print(f"{'metric (median of ' + str(a.runs) + ' runs)':<44} {'rayctl':>12} {'Dask':>12} {'ratio':>8}")
    rows = [
        ("cluster start -> first job RUNNING / result", m(r_run), m(d_start), "s"),
        ("  rayctl up alone (head + 1 agent ready)", m(r_up), None, "s"),
        ("  Dask incl. interpreter + import (wall)", None, m(d_wall), "s"),
        (f"submit -> RUNNING median ({a.latency_jobs}) / no-op round trip", m(r_lat), m(d_lat), "ms"),
        ("  p90", m(r_p90), m(d_p90), "ms"),
        (f"{a.burst}-job burst: all done", m(r_burst), m(d_burst), "s"),
    ]
    for name, ours, theirs, unit in rows:
        scale = 1000 if unit == "ms" else 1
        o = f"{ours * scale:.3f} {unit}" if ours is not None else "-"
        t = f"{theirs * scale:.3f} {unit}" if theirs is not None else "-"
        ratio = f"{ours / theirs:.2f}x" if ours and theirs else ""
        print(f"{name:<44} {o:>12} {t:>12} {ratio:>8}")
    print(f"{a.burst}-job burst throughput: rayctl {a.burst / m(r_burst):.0f} jobs/s "
          f"(submitting alone {a.burst / m(r_submit):.0f}/s), Dask {a.burst / m(d_burst):.0f} "
          f"shell tasks/s; succeeded: rayctl {min(r_ok)}/{a.burst} in every run, Dask "
          f"{min(d_ok)}/{a.burst}")
    print(f"targets: up -> ready < 1 s: {'met' if m(r_up) < 1 else 'MISSED'}; "
          f"submit -> RUNNING median < 20 ms: {'met' if m(r_lat) < 0.020 else 'MISSED'}")
    print(f"load {load()} at end")


if __name__ == "__main__":
    main()
