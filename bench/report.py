"""The machine's description and the markdown of bench/results.md."""
import os
import platform
import subprocess
import time
from statistics import median

BARE = "bare (JIT)"
BARE_ROW = "bare Kestrel (JIT)"
GOAL_ROW = "Api JIT, access log on"


def command_output(*argv):
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return result.stdout + result.stderr
    except OSError:
        return ""


def describe_machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory_kib = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    runtimes = [line.split()[1] for line in command_output("dotnet", "--list-runtimes").splitlines()
                if line.startswith("Microsoft.AspNetCore.App")]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": f"{memory_kib / 1024 / 1024:.1f} GiB",
        "kernel": f"{platform.system()} {platform.release()}",
        "os": next((line.split("=", 1)[1].strip().strip('"') for line in open("/etc/os-release")
                    if line.startswith("PRETTY_NAME=")), "?"),
        "dotnet": f"SDK {command_output('dotnet', '--version').strip()}, ASP.NET Core runtime {', '.join(runtimes)}",
        "wrk": (command_output("wrk", "--version").split() or ["", "?"])[1],
        "nginx": command_output("nginx", "-v").strip().split("/")[-1],
        "load_start": os.getloadavg(),
    }


def ms(microseconds):
    return f"{microseconds / 1000:.2f} ms"


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def spread(values, fmt="{:.0f}"):
    return f"{fmt.format(min(values))}–{fmt.format(max(values))}"


def render(args, machine, throughput, lifecycle, under_load):
    runs = throughput["runs"]
    rps = {label: median(r["rps"] for r in rs) for label, rs in runs.items()}
    # Paired: each run against the bare app's run of the same round, so noise that hits a round hits both.
    paired = {label: median(r["rps"] / b["rps"] for r, b in zip(rs, runs[BARE_ROW])) for label, rs in runs.items()}
    cpu = {label: median(r["cpu_us"] for r in rs) for label, rs in runs.items()}
    out = [
        "# Benchmark results",
        "",
        f"Written by `bash bench/run.sh` on {machine['date']} in {machine['minutes']:.1f} minutes "
        "(measurement only, builds excluded). How it measures and what the numbers mean: [README.md](README.md).",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        f"| CPU | {machine['cpu']} |",
        f"| cores | {machine['cores']}: every server pinned to CPU 0, wrk, the OTLP receiver and the probes to CPU 1 |",
        f"| memory | {machine['memory']} |",
        f"| OS, kernel | {machine['os']}, {machine['kernel']} |",
        f"| .NET | {machine['dotnet']} |",
        f"| wrk, nginx | {machine['wrk']}, {machine['nginx']} |",
        f"| load average (1 min) at start, end | {machine['load_start'][0]:.2f}, {machine['load_end'][0]:.2f} |",
        "",
        "## GET / requests per second and latency",
        "",
        f"wrk, 1 thread, {args.connections} connections, {args.duration} s per run, {args.rounds} rounds; in each "
        "round every server gets one run in turn (A B C ... A B C ...), after a "
        f"{args.warmup} s warm-up run each. Medians of the runs; \"vs bare\" is the median of the ratios of runs in the "
        "same round (their range beside it); \"CPU vs bare\" compares CPU time per request. The Api: `VERSION` set, the request's headers echoed "
        "(wrk sends Host, User-Agent, Accept, X-Request-Id), the access log at Information as JSON lines "
        "(the default console formatter outside Development) on stdout redirected to a file. \"CPU µs/request\" is the "
        "server process's user+system time over the run divided by its requests: steadier than req/s on a busy machine.",
        "",
        "| server | req/s | vs bare | range | p50 | p99 | CPU µs/request | CPU vs bare | access log bytes/request |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, rs in runs.items():
        ratios = [r["rps"] / b["rps"] for r, b in zip(rs, runs[BARE_ROW])]
        log_bytes = throughput["log_bytes"][label]
        per_request = f"{median(log_bytes):.0f}" if log_bytes else "-"
        out.append(
            f"| {label} | {rps[label]:,.0f} | {paired[label]:.2f}x | {spread(ratios, '{:.2f}')} "
            f"| {ms(median(r['p50_us'] for r in rs))} | {ms(median(r['p99_us'] for r in rs))} "
            f"| {cpu[label]:.1f} | {cpu[BARE_ROW] / cpu[label]:.2f}x | {per_request} |")
    out += ["", "Requests per second of each run:", ""]
    for label, rs in runs.items():
        out.append(f"- {label}: " + ", ".join(f"{r['rps']:,.0f}" for r in rs))
    out += ["", "OTLP receiver totals (signal, export requests, bytes) for the OTLP row, proving the export happened:", "",
            "```", throughput["otlp"].strip() or "(nothing received)", "```", ""]

    out += [
        "## Start-up",
        "",
        f"Exec to the first `/readyz` 200 (which includes the warm-up requests to /, /version and /headers), "
        f"polled every millisecond over loopback; {args.starts} starts per build, builds alternating; medians. "
        "\"First answer\" is the first HTTP response of any status (Kestrel listening). The bare app is polled on `/`. "
        "The server runs on CPU 0 like everywhere else (as in a pod limited to 1 CPU), except in the \"2 CPUs\" rows.",
        "",
        "| build | first answer | ready | ready, min–max |",
        "| --- | ---: | ---: | ---: |",
    ]
    for build, r in lifecycle.items():
        out.append(f"| {build} | {median(r['listening']):.0f} ms | {median(r['ready']):.0f} ms | "
                   f"{spread(r['ready'])} ms |")
    out += [
        "",
        "## Memory",
        "",
        f"Idle: RSS {args.idle:g} s after ready (median of the starts). Peak under load: the process's VmHWM after "
        "its warm-up and all its throughput runs.",
        "",
        "| build | idle RSS | peak RSS under load |",
        "| --- | ---: | ---: |",
    ]
    peak = {"JIT": GOAL_ROW, "ReadyToRun": "Api ReadyToRun, access log on", "NativeAOT": "Api NativeAOT, access log on",
            BARE: BARE_ROW}
    for build, r in lifecycle.items():
        peak_rss = mib(throughput["memory"][peak[build]][1]) if build in peak else "-"
        out.append(f"| {build} | {mib(median(r['rss']))} | {peak_rss} |")
    out.append(f"| nginx (one worker) | - | {mib(throughput['memory']['nginx'][1])} |")
    out += [
        "",
        "## Shutdown",
        "",
        "SIGTERM to process exit, with `Lifecycle__DrainDelaySeconds=0` (the pure shutdown cost; the default drain "
        "is 5 s, for Kubernetes to remove the endpoint). Idle: after the start-up runs. Under load: SIGTERM 1 s into "
        f"a wrk run on GET / with {args.connections} connections ({args.shutdowns} runs per build). Medians.",
        "",
        "| build | idle | under load | exit codes |",
        "| --- | ---: | ---: | --- |",
    ]
    for build in under_load:
        codes = sorted(set(lifecycle[build]["codes"] + under_load[build]["codes"]))
        out.append(f"| {build} | {median(lifecycle[build]['stop']):.0f} ms | {median(under_load[build]['stop']):.0f} ms "
                   f"| {', '.join(map(str, codes))} |")
    out += goals(paired[GOAL_ROW], cpu[BARE_ROW] / cpu[GOAL_ROW], lifecycle)
    return "\n".join(out) + "\n"


def goals(ratio, cpu_ratio, lifecycle):
    def row(goal, target, measured, met, miss):
        return f"| {goal} | {target} | {measured} | {'met' if met else f'missed by {miss}'} |"

    aot_ready = median(lifecycle["NativeAOT"]["ready"])
    aot_rss = median(lifecycle["NativeAOT"]["rss"]) / 1024
    jit_ready = median(lifecycle["JIT"]["ready"])
    return [
        "",
        "## Goals",
        "",
        "| goal | target | measured | result |",
        "| --- | --- | --- | --- |",
        row("GET / with the access log on (JIT) vs the bare app", ">= 0.85x",
            f"{ratio:.2f}x req/s ({cpu_ratio:.2f}x by CPU per request)", ratio >= 0.85,
            f"{0.85 - ratio:.2f}x"),
        row("NativeAOT ready after exec", "<= 100 ms", f"{aot_ready:.0f} ms", aot_ready <= 100, f"{aot_ready - 100:.0f} ms"),
        row("NativeAOT idle RSS", "<= 40 MiB", f"{aot_rss:.1f} MiB", aot_rss <= 40, f"{aot_rss - 40:.1f} MiB"),
        row("JIT ready after exec", "<= 500 ms", f"{jit_ready:.0f} ms", jit_ready <= 500, f"{jit_ready - 500:.0f} ms"),
    ]
