"""Throughput ceiling: wrk against a hello-world Flask app and against POST /api/chat, under the same
gunicorn settings (2 gthread workers x 4 threads, gunicorn.conf.py's default with the built-in engine;
preloaded), in one run, on SQLite and on PostgreSQL + Redis. Prints requests/s and p50/p99 latency of
each, and the chat's share of the ceiling (the highest of the hello-world runs before and after each
chat run).

    python benchmarks/throughput.py                          # both backends, 10 s each, 16 connections
    python benchmarks/throughput.py --backend sqlite --duration 5
    python benchmarks/throughput.py --questions tests/banks/lta_in_scope.jsonl
    python benchmarks/throughput.py --unique                 # every chat question a new one

The chat requests go through the first turns of a question bank in turn (each wrk thread from its
own random place): about 550 distinct questions, not one served again and again. After their first
round (under a second) the coach's memo caches know their readings and rankings, as they would a
popular question's; the answer itself, the database and everything else are worked out for every
request. With --unique each question ends in a number of its own, so none is in any cache: the
cost of questions never asked before.
Needs wrk (Debian's package; scripts/install-test-deps.sh installs it), the built-in engine (no
model), and for the second backend PostgreSQL and Redis on this machine (--pg-url, --redis-url).
Goals, checked at the end (exit status 1 when missed): chat at least 10% of the hello-world
requests/s, and chat p99 under 150 ms. A run says when its figures are less reliable: when its
ceilings differ by more than a quarter, or when other processes took more than 5% of the machine's
CPU while wrk ran (on a 2-core machine another job's CPU comes out of the two being compared).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import Client, free_port, fresh_postgres_database, start_server, stop_server  # noqa: E402

SHARE_GOAL, P99_GOAL_MS = 0.10, 150.0

HELLO_APP = '''
from flask import Flask, jsonify

app = Flask(__name__)


@app.post("/hello")
@app.get("/hello")
def hello():
    return jsonify({"message": "hello"})
'''

WRK_SCRIPT = '''
wrk.method = "{method}"
wrk.headers["Content-Type"] = "application/json"
{auth}
wrk.body = {body}
'''


# Each wrk thread goes through the questions from its own random place. With --unique, each request's
# question also ends in a number of its own (thread and count), so no answer comes from a memo cache.
ROTATING_SCRIPT = '''
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
{auth}
local messages = {{ {messages} }}
local unique = {unique}
local i, n, tag = 0, 0, ""
init = function(args) i = math.random(#messages); tag = tostring(math.random(1000000)) end
request = function()
  i = i % #messages + 1
  n = n + 1
  local message = messages[i]
  if unique then message = message .. " (" .. tag .. "-" .. n .. ")" end
  return wrk.format(nil, nil, nil, '{{"message": "' .. message .. '"}}')
end
'''


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# The processes a run itself keeps busy: the app's and the hello-world's gunicorn, wrk, the database
# servers. Any other process's CPU time during a run was taken from the two being compared.
OURS = ("gunicorn", "coachbot.cli", "hello_app", "wrk", "postgres", "redis-server")


def cpu_seconds_by_process() -> dict[int, tuple[str, float]]:
    """Each process's command line and the CPU seconds it has used so far (Linux /proc)."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        found[int(entry.name)] = (command, (int(fields[11]) + int(fields[12])) / tick)  # utime + stime
    return found


def others_cpu(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> float:
    """CPU seconds used between two readings by processes that are not the benchmark's own."""
    used = 0.0
    for pid, (command, seconds) in after.items():
        if pid != os.getpid() and command and not any(name in command for name in OURS):
            used += seconds - before.get(pid, (command, 0.0))[1]
    return used


def run_wrk(url: str, script: Path, args) -> dict:
    before = cpu_seconds_by_process()
    done = subprocess.run(["wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{args.duration}s",
                           "--latency", "-s", str(script), url], capture_output=True, text=True, check=True)
    others = others_cpu(before, cpu_seconds_by_process())
    out = done.stdout

    def ms(label: str) -> float:
        found = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert found, f"wrk printed no {label} latency"
        number, unit = found.groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps, "wrk printed no request rate"
    return {"rps": float(rps.group(1)), "p50": ms("50%"), "p99": ms("99%"), "others_cpu": others,
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0, "socket_errors": errors.group(1) if errors else ""}


def hello_ceiling(folder: Path, args) -> dict:
    (folder / "hello_app.py").write_text(HELLO_APP)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--chdir", str(folder), "--bind", f"127.0.0.1:{port}",
                             "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads),
                             "--timeout", "120", "--preload", "--no-control-socket", "hello_app:app"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if Client(port).request("GET", "/hello")[0] == 200:
                    break
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise SystemExit("the hello-world app did not start") from exc
                time.sleep(0.2)
        script = folder / "hello.lua"
        script.write_text(WRK_SCRIPT.format(method="POST", auth="", body=lua_string('{"message": "hi"}')))
        return run_wrk(f"http://127.0.0.1:{port}/hello", script, args)
    finally:
        stop_server(proc)


def chat_throughput(name: str, env: dict, folder: Path, args) -> dict:
    workdir = folder / name
    workdir.mkdir()
    proc, port = start_server({k: v.replace("{tmp}", str(workdir)) for k, v in env.items()}, workdir,
                              args.workers, args.threads)
    try:
        client = Client(port)
        status, body = client.request("POST", "/api/users")
        token = body["token"]
        client.token = token
        questions = bank_questions(args.questions)
        assert client.request("POST", "/api/chat", {"message": questions[0]})[0] == 200  # warm both paths
        script = workdir / "chat.lua"
        messages = ", ".join(lua_string(json.dumps(q)[1:-1]) for q in questions)  # JSON-escaped, unquoted
        script.write_text(ROTATING_SCRIPT.format(auth=f'wrk.headers["Authorization"] = "Bearer {token}"',
                                                 messages=messages, unique="true" if args.unique else "false"))
        result = run_wrk(f"http://127.0.0.1:{port}/api/chat", script, args)
        log = (workdir / "server.log").read_text(errors="replace")
        result["tracebacks"] = log.count("Traceback")
        return result
    finally:
        stop_server(proc)


def bank_questions(path: str) -> list[str]:
    """The distinct first turns of a question bank."""
    with open(path, encoding="utf-8") as fh:
        turns = [json.loads(line)["turns"][0] for line in fh if line.strip()]
    return list(dict.fromkeys(turns))


def line(label: str, r: dict) -> str:
    extra = f"  non-2xx={r['non_2xx']}" if r["non_2xx"] else ""
    extra += f"  socket errors: {r['socket_errors']}" if r["socket_errors"] else ""
    return f"  {label:34s} {r['rps']:9.1f} req/s   p50 {r['p50']:7.1f} ms   p99 {r['p99']:7.1f} ms{extra}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (for both apps)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (for both apps)")
    parser.add_argument("--unique", action="store_true",
                        help="make every chat question new (a number appended), so none is answered from a memo cache")
    parser.add_argument("--questions", default=str(Path(__file__).resolve().parent.parent / "tests/banks/lta_in_scope.jsonl"),
                        help="a question bank whose first turns the chat requests go through")
    parser.add_argument("--pg-url", default=os.environ.get("COACHBOT_LOAD_POSTGRES_URL",
                                                            "postgresql://postgres@127.0.0.1:5432/coachbot_throughput"))
    parser.add_argument("--redis-url", default=os.environ.get("COACHBOT_LOAD_REDIS_URL", "redis://127.0.0.1:6379/3"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    backends = []
    if args.backend in ("sqlite", "both"):
        backends.append(("sqlite", {"DATABASE_URL": "sqlite:///{tmp}/throughput.sqlite3"}))
    if args.backend in ("postgres", "both"):
        fresh_postgres_database(args.pg_url)
        backends.append(("postgresql+redis", {"DATABASE_URL": args.pg_url, "REDIS_URL": args.redis_url}))

    print(f"wrk: {args.wrk_threads} threads, {args.connections} connections, {args.duration} s per run; "
          f"gunicorn: {args.workers} gthread workers x {args.threads} threads; built-in engine")
    ok = True
    with tempfile.TemporaryDirectory(prefix="coachbot-throughput-") as tmp:
        folder = Path(tmp)
        # The ceiling is measured before and after each chat run: one depressed by a passing load on
        # the machine would flatter the chat's share, so the highest is the ceiling, and a wide spread
        # is printed as a warning.
        ceilings = [hello_ceiling(folder, args)]
        print(line("hello-world Flask (POST /hello)", ceilings[0]))
        chats = []
        for name, env in backends:
            chats.append((name, chat_throughput(name, env, folder, args)))
            ceilings.append(hello_ceiling(folder, args))
            print(line("hello-world Flask, again", ceilings[-1]))
        hello = max(ceilings, key=lambda r: r["rps"])
        lowest = min(r["rps"] for r in ceilings)
        if lowest < 0.75 * hello["rps"]:
            print(f"  warning: the ceiling varied from {lowest:.0f} to {hello['rps']:.0f} req/s in this run "
                  "(the machine was busy); its shares are less reliable")
        runs = ceilings + [chat for _, chat in chats]
        others = sum(r["others_cpu"] for r in runs)
        capacity = len(runs) * args.duration * (os.cpu_count() or 1)
        if others > 0.05 * capacity:
            print(f"  warning: other processes used {others:.0f} s of CPU during the runs ({others / capacity:.0%} of "
                  "the machine); its shares are less reliable")
        for name, chat in chats:
            share = chat["rps"] / hello["rps"]
            print(line(f"POST /api/chat on {name}", chat) + f"   {share:.1%} of the ceiling")
            good = (share >= SHARE_GOAL and chat["p99"] < P99_GOAL_MS and chat["non_2xx"] == 0
                    and chat["tracebacks"] == 0)
            if chat["tracebacks"]:
                print(f"    {chat['tracebacks']} traceback(s) in the server log")
            ok &= good
    print(f"goals (>= {SHARE_GOAL:.0%} of the ceiling, p99 < {P99_GOAL_MS:.0f} ms, no errors): "
          + ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
