"""Processes and probes for bench/measure.py: servers pinned to one CPU, wrk pinned to the other,
readiness polled over a raw loopback socket, memory read from /proc."""
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

SERVER_CPUS = {0}
LOAD_CPUS = {1}
LUA = Path(__file__).resolve().parent / "wrk-report.lua"
# Sent on every request, so the echo endpoint has headers to copy (wrk adds Host).
WRK_HEADERS = ["User-Agent: wrk", "Accept: */*", "X-Request-Id: bench-0001"]


def pin_to(cpus):
    available = os.sched_getaffinity(0) | cpus
    return lambda: os.sched_setaffinity(0, cpus & available or available)


@dataclass
class Server:
    name: str
    argv: list
    port: int
    ready_path: str = "/readyz"
    env: dict = field(default_factory=dict)
    cwd: Path | None = None
    log: Path | None = None
    cpus: set = field(default_factory=lambda: SERVER_CPUS)
    process: subprocess.Popen | None = None

    def start(self):
        if http_status(self.port, self.ready_path) is not None:
            raise RuntimeError(f"{self.name}: something already answers on 127.0.0.1:{self.port} (left from an earlier run?)")
        # Only this run's settings reach the server (DOTNET_ROOT stays: an apphost may need it to find the runtime).
        env = {k: v for k, v in os.environ.items() if k.startswith("DOTNET_ROOT") or not (
            k.startswith(("OTEL_", "ASPNETCORE_", "DOTNET_")) or "__" in k or k in ("VERSION", "APP_CONFIG_DIR"))}
        env.update(self.env)
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL  # append mode: truncatable while open
        self.process = subprocess.Popen(self.argv, cwd=self.cwd, env=env, stdout=output, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, preexec_fn=pin_to(self.cpus))
        return self

    def wait_ready(self, timeout=60.0, start_ns=None):
        """Polls every millisecond; returns (ns to first HTTP answer, ns to first 200) from start_ns."""
        start_ns = start_ns or time.perf_counter_ns()
        deadline = start_ns + int(timeout * 1e9)
        listening = None
        while True:
            status = http_status(self.port, self.ready_path)
            now = time.perf_counter_ns()
            if status is not None and listening is None:
                listening = now - start_ns
            if status == 200:
                return listening, now - start_ns
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode} before it was ready")
            if now > deadline:
                raise RuntimeError(f"{self.name} was not ready within {timeout}s")
            time.sleep(0.001)

    def start_and_time(self):
        start_ns = time.perf_counter_ns()
        self.start()
        return self.wait_ready(start_ns=start_ns)

    def stop(self, timeout=30.0):
        """SIGTERM; returns (seconds to exit, exit code), or (0, None) if it was never started."""
        if self.process is None:
            return 0.0, None
        start = time.perf_counter()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        return time.perf_counter() - start, code

    def cpu_seconds(self):
        return cpu_seconds(self.process.pid)

    def memory_kib(self):
        return read_memory(self.process.pid)


def cpu_seconds(pid):
    """User plus system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_memory(pid):
    """(VmRSS, VmHWM) in KiB: resident now and the peak since start."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def http_status(port, path):
    """The status code of GET path on 127.0.0.1:port, or None if nothing answers."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            head = s.recv(64)
            return int(head.split()[1]) if head.startswith(b"HTTP/") else None
    except (OSError, ValueError, IndexError):
        return None


def http_body(port, path):
    """The body of GET path on 127.0.0.1:port (a small plain-text answer)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    if b"chunked" in head.lower():
        body = dechunk(body)
    return body.decode()


def dechunk(body):
    out = b""
    while body:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        out, body = out + body[:size], body[size + 2:]
    return out


def wrk_command(url, seconds, connections):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(LUA)]
    for header in WRK_HEADERS:
        command += ["-H", header]
    return command + [url]


def run_wrk(url, seconds, connections):
    """One bounded wrk run against loopback, pinned to the load CPU; returns its summary."""
    assert url.startswith("http://127.0.0.1:"), url
    result = subprocess.run(wrk_command(url, seconds, connections), capture_output=True, text=True,
                            preexec_fn=pin_to(LOAD_CPUS), timeout=seconds + 30, check=True)
    for line in result.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            summary = json.loads(line[len("WRK_JSON "):])
            summary["rps"] = summary["requests"] / (summary["duration_us"] / 1e6)
            summary["errors"] = sum(summary[k] for k in ("connect", "read", "write", "status", "timeout"))
            return summary
    raise RuntimeError(f"wrk printed no summary:\n{result.stdout}\n{result.stderr}")


def start_wrk(url, seconds, connections):
    return subprocess.Popen(wrk_command(url, seconds, connections), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, preexec_fn=pin_to(LOAD_CPUS))
