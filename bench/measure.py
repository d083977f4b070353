#!/usr/bin/env python3
"""Measures the builds that bench/run.sh published and writes bench/results.md.

Phases: throughput (alternating wrk runs over every server), start-up with idle memory and idle
shutdown, shutdown under load. Servers run on CPU 0, wrk and the readiness poller on CPU 1.
"""
import argparse
import json
import os
import shutil
import time
from pathlib import Path

import harness
import report

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".work" / "bench"
LOGS = WORK / "logs"

API_ENV = {
    "ASPNETCORE_ENVIRONMENT": "Production",
    "VERSION": "1.0.0-bench",
    "OTEL_SERVICE_NAME": "httpserver-api",
    "AccessLog__Level": "Information",
    # Pure shutdown cost: no drain period (the default is 5 s, for endpoint removal on Kubernetes).
    "Lifecycle__DrainDelaySeconds": "0",
}
IMAGE = "image (composite ReadyToRun)"
BUILDS = {  # build -> executable (its folder is the working directory)
    "JIT": WORK / "api-jit" / "HttpServer.Api",
    "ReadyToRun": WORK / "api-r2r" / "HttpServer.Api",
    # What `dotnet publish` ships, the container image included (HttpServer.Api.csproj): self-contained, framework and
    # app compiled together, so generic instantiations across assemblies are precompiled too.
    IMAGE: WORK / "api-image" / "HttpServer.Api",
    "NativeAOT": ROOT / ".work" / "aot" / "HttpServer.Api",
}
OTLP_PORT = 5480
LAST_RUN = WORK / "last-run.json"
BARE = "bare (JIT)"
USER = "user stack (JIT)"
USER_ROW = "user stack: ServiceDefaults template, HttpLogging to the JSON console"
AOT_ROW = "Api NativeAOT, access log on"


def api(name, build, port, **env):
    exe = BUILDS[build]
    return harness.Server(name, [str(exe)], port, env={**API_ENV, "ASPNETCORE_URLS": f"http://127.0.0.1:{port}", **env},
                          cwd=exe.parent, log=LOGS / f"{name}.log")


def bare(port, **env):
    exe = WORK / "bare" / "BareKestrel"
    return harness.Server("bare", [str(exe)], port, ready_path="/", cwd=exe.parent,
                          env={"ASPNETCORE_URLS": f"http://127.0.0.1:{port}", "ASPNETCORE_ENVIRONMENT": "Production", **env})


def user_stack(name, port, **env):
    """bench/UserStack: the Aspire ServiceDefaults template with HttpLogging to the JSON console, same contract."""
    exe = WORK / "userstack" / "UserStack"
    return harness.Server(name, [str(exe)], port, ready_path="/health", cwd=exe.parent, log=LOGS / f"{name}.log",
                          env={"ASPNETCORE_URLS": f"http://127.0.0.1:{port}", "ASPNETCORE_ENVIRONMENT": "Production",
                               "VERSION": API_ENV["VERSION"], "OTEL_SERVICE_NAME": "userstack", **env})


def nginx(port):
    prefix = WORK / "nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    conf = (ROOT / "bench" / "nginx.conf").read_text().replace("__PREFIX__", str(prefix)).replace("__PORT__", str(port))
    (prefix / "nginx.conf").write_text(conf)
    return harness.Server("nginx", ["nginx", "-p", str(prefix), "-e", str(prefix / "error.log"),
                                    "-c", str(prefix / "nginx.conf")], port, ready_path="/")


def otlp_receiver():
    exe = WORK / "otlp" / "OtlpReceiver"
    return harness.Server("otlp-receiver", [str(exe)], OTLP_PORT, ready_path="/stats", cwd=exe.parent,
                          cpus=harness.LOAD_CPUS, env={"ASPNETCORE_URLS": f"http://127.0.0.1:{OTLP_PORT}"})


def throughput_servers():
    """Label -> server; the first Api is the one the goal compares with the bare app."""
    otlp = {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{OTLP_PORT}",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"}
    return {
        "Api JIT, access log on": api("api-jit", "JIT", 5410),
        "bare Kestrel (JIT)": bare(5411),
        "nginx": nginx(5412),
        USER_ROW: user_stack("user-stack", 5418),
        "user stack, access log off": user_stack("user-stack-nolog", 5419,
                                                 **{"Logging__LogLevel__Microsoft.AspNetCore.HttpLogging": "None"}),
        "Api JIT, access log off": api("api-jit-nolog", "JIT", 5413, AccessLog__Level="None"),
        "Api JIT, access log off, OTel SDK off": api("api-jit-bare", "JIT", 5417, AccessLog__Level="None",
                                                     OTEL_SDK_DISABLED="true"),
        "Api JIT, access log on, OTLP export": api("api-jit-otlp", "JIT", 5414, **otlp),
        f"Api {IMAGE}, access log on": api("api-image", IMAGE, 5415),
        AOT_ROW: api("api-aot", "NativeAOT", 5416),
        # The Api turns the thread pool's spinning off (HttpServer.Api.csproj): the bare app with the same setting.
        "bare Kestrel, thread-pool spinning off": bare(5421, DOTNET_ThreadPool_UnfairSemaphoreSpinLimit="0"),
    }


def measure_throughput(args):
    receiver = otlp_receiver()
    servers = throughput_servers()
    url = {label: f"http://127.0.0.1:{s.port}/" for label, s in servers.items()}
    runs = {label: [] for label in servers}
    log_bytes = {label: [] for label in servers}
    try:  # started inside: a server that fails to start must not leave the others running
        for server in [receiver, *servers.values()]:
            server.start()
        for server in [receiver, *servers.values()]:
            server.wait_ready()
        for label, server in servers.items():  # warm-up: tiered JIT, pools, connections
            harness.run_wrk(url[label], args.warmup, args.connections)
            truncate(server.log)
        for round_number in range(args.rounds):
            for label, server in servers.items():
                cpu_before = server.cpu_seconds()
                summary = harness.run_wrk(url[label], args.duration, args.connections)
                summary["cpu_us"] = (server.cpu_seconds() - cpu_before) * 1e6 / summary["requests"]
                if summary["errors"]:
                    raise RuntimeError(f"{label}: wrk saw errors: {summary}")
                runs[label].append(summary)
                if server.log:
                    log_bytes[label].append(server.log.stat().st_size / summary["requests"])
                    truncate(server.log)
                print(f"round {round_number + 1}/{args.rounds} {label}: {summary['rps']:.0f} req/s "
                      f"p50 {summary['p50_us']:.0f}us p99 {summary['p99_us']:.0f}us "
                      f"cpu {summary['cpu_us']:.1f}us/request", flush=True)
        memory = {label: s.memory_kib() for label, s in servers.items()}
        received = harness.http_body(OTLP_PORT, "/stats")
    finally:
        for server in [*servers.values(), receiver]:
            try:
                server.stop()
            except OSError:
                pass  # already gone: the others must still be stopped
    return {"runs": runs, "log_bytes": log_bytes, "memory": memory, "otlp": received}


def measure_lifecycle(args):
    """Exec to first /readyz 200, idle RSS, SIGTERM to exit when idle; builds alternate. The main rows run
    on CPU 0 like everything else (a pod with a 1-CPU limit); the "2 CPUs" rows let the server use both;
    the "OTel SDK off" rows show what setting up OpenTelemetry costs."""
    both = set(range(os.cpu_count()))
    no_otel = {"OTEL_SDK_DISABLED": "true"}
    variants = {build: (build, harness.SERVER_CPUS, {}) for build in [*BUILDS, BARE, USER]}
    variants |= {f"{build}, 2 CPUs": (build, both, {}) for build in ("JIT", IMAGE, "NativeAOT")}
    variants |= {f"{build}, OTel SDK off": (build, harness.SERVER_CPUS, no_otel) for build in ("JIT", "NativeAOT")}
    results = {name: {"listening": [], "ready": [], "rss": [], "stop": [], "codes": []} for name in variants}
    for _ in range(args.starts):
        for name, (build, cpus, env) in variants.items():
            server = (bare(5420) if build == BARE else user_stack("start-user", 5420) if build == USER
                      else api(f"start-{build}", build, 5420, **env))
            server.cpus = cpus
            try:
                listening, ready = server.start_and_time()
                time.sleep(args.idle)
                rss, _ = server.memory_kib()
            finally:
                seconds, code = server.stop()
            r = results[name]
            r["listening"].append(listening / 1e6)
            r["ready"].append(ready / 1e6)
            r["rss"].append(rss)
            r["stop"].append(seconds * 1000)
            r["codes"].append(code)
    return results


def measure_shutdown_under_load(args):
    """SIGTERM one second into a wrk run on GET / (requests in flight on every connection)."""
    results = {b: {"stop": [], "codes": []} for b in BUILDS}
    for _ in range(args.shutdowns):
        for build in BUILDS:
            server, load = api(f"stop-{build}", build, 5430), None
            try:
                server.start()
                server.wait_ready()
                load = harness.start_wrk(f"http://127.0.0.1:{server.port}/", 10, args.connections)
                time.sleep(1.0)
            finally:
                seconds, code = server.stop()
                if load:
                    load.terminate()
                    load.wait()
            results[build]["stop"].append(seconds * 1000)
            results[build]["codes"].append(code)
    return results


def truncate(path):
    if path and path.exists():
        os.truncate(path, 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds of wrk runs")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    # The Api's tiered JIT compilation needs tens of seconds under load to settle (bench/README.md).
    parser.add_argument("--warmup", type=int, default=30, help="seconds of warm-up per server")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--starts", type=int, default=7, help="start-ups per build")
    parser.add_argument("--shutdowns", type=int, default=3, help="shutdowns under load per build")
    parser.add_argument("--idle", type=float, default=2.0, help="seconds idle before RSS is read")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite --out from the last run's measurements (after an edit of bench/goal-notes.md)")
    args = parser.parse_args()
    if args.report_only:
        last = json.loads(LAST_RUN.read_text())
        args.out.write_text(report.render(argparse.Namespace(**last["args"]), last["machine"], last["throughput"],
                                          last["lifecycle"], last["under_load"]))
        print(f"rewrote {args.out} from {LAST_RUN}")
        return

    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    os.sched_setaffinity(0, harness.LOAD_CPUS & os.sched_getaffinity(0) or os.sched_getaffinity(0))
    started = time.time()
    machine = report.describe_machine()
    throughput = measure_throughput(args)
    lifecycle = measure_lifecycle(args)
    under_load = measure_shutdown_under_load(args)
    machine["load_end"] = os.getloadavg()
    machine["minutes"] = (time.time() - started) / 60
    args.out.write_text(report.render(args, machine, throughput, lifecycle, under_load))
    # The measurements themselves, so that the report can be written again (working data, not committed).
    LAST_RUN.write_text(json.dumps({"args": {k: v for k, v in vars(args).items() if k not in ("out", "report_only")},
                                    "machine": machine, "throughput": throughput, "lifecycle": lifecycle,
                                    "under_load": under_load}, default=str))
    print(f"wrote {args.out} in {machine['minutes']:.1f} min")


if __name__ == "__main__":
    main()
