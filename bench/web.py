"""Latency and throughput of the web app under a closed-loop load (goal: p95 under
200 ms with 50 clients on 2 cores for a 1M-children workspace).

    .venv/bin/python bench/web.py --children 100000 [--clients 50] [--seconds 60]
        [--workers 2] [--workspace WS]

Workload: `endvac serve WS --workers W` (uvicorn, a subprocess) on a synthetic
country (generated, ingested, published and released here, bench/country.py, unless
``--workspace`` gives one already built). The load generator runs in its own process:
``--clients`` logged-in viewers (each its own session), closed loop with no think
time; each loop is the dashboard page then three API calls, all with random filters
(period, breakdown, indicator): ``/?period=&breakdown=``, ``/api/indicators?period=``,
``/api/indicators/{id}``, ``/api/dashboard?breakdown=``. A warm-up (``--warmup`` s)
fills each worker's cache first and is not counted. Prints p50/p95/p99 latency per
request and per route, throughput, errors, the CPU the load generator and the server
used (the generator shares the machine's cores with the server), and one
``RESULT {json}`` line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import quantiles
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from country import build  # noqa: E402  (bench/ is not a package)
from endvac.accounts.store import open_accounts
from endvac.accounts.users import add_user, get_user
from endvac.publish import publish
from endvac.release import build_release
from endvac.workspace import Workspace, open_workspace

ENDVAC = str(Path(sys.executable).parent / "endvac")
BREAKDOWNS = ["sex", "age_group", "region"]


def prepare(args: argparse.Namespace, scratch: Path) -> tuple[Workspace, str, float | None]:
    """The workspace (built unless given), published and released, with a viewer."""
    build_seconds = None
    if args.workspace:
        ws = open_workspace(args.workspace)
    else:
        ws, build_seconds = build(scratch / f"children-{args.children}", args.children, 1)
        publish(ws)
        build_release(ws, "2025")
    password = secrets.token_urlsafe(16)
    with open_accounts(ws) as db:
        name = f"bench-{secrets.token_hex(3)}"
        if get_user(db, name) is None:
            add_user(db, name, "viewer", password)
    os.environ["BENCH_VIEWER"] = f"{name}:{password}"
    return ws, name, build_seconds


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children that have ended."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(v) for v in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    found = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += _tree(int(child))
    return found


async def _login(client: httpx.AsyncClient, name: str, password: str) -> None:
    await client.get("/login")
    token = client.cookies.get("endvac_login_csrf")
    answer = await client.post("/login", data={"username": name, "password": password,
                                               "csrf_token": token})
    if answer.status_code not in (200, 303):
        raise SystemExit(f"login failed: {answer.status_code}")


async def _client(base: str, name: str, password: str, ids: list[str], periods: list[str],
                  start: float, stop: float, seed: int) -> tuple[list[tuple[str, float]], int]:
    rng = random.Random(seed)
    timings: list[tuple[str, float]] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await _login(client, name, password)
        while time.perf_counter() < stop:
            period, breakdown = rng.choice(periods), rng.choice(BREAKDOWNS)
            for route, url in (("dashboard page", f"/?period={period}&breakdown={breakdown}"),
                               ("api indicators", f"/api/indicators?period={period}"),
                               ("api indicator", f"/api/indicators/{rng.choice(ids)}"),
                               ("api dashboard", f"/api/dashboard?breakdown={breakdown}")):
                began = time.perf_counter()
                answer = await client.get(url)
                took = time.perf_counter() - began
                if answer.status_code != 200:
                    errors += 1
                elif began >= start:
                    timings.append((route, took))
    return timings, errors


async def _mark(out: Any, at: float, what: str) -> float:
    """Tell the parent when the measured window starts and stops; this process's CPU."""
    await asyncio.sleep(max(at - time.perf_counter(), 0))
    out.put(what)
    return time.process_time()


async def _load(base: str, clients: int, warmup: float, seconds: float,
                out: Any) -> dict[str, Any]:
    name, password = os.environ["BENCH_VIEWER"].split(":", 1)
    async with httpx.AsyncClient(base_url=base, timeout=60) as probe:
        await _login(probe, name, password)
        listing = (await probe.get("/api/indicators")).json()
    ids = [t["id"] for t in listing["indicators"]]
    start = time.perf_counter() + warmup + clients * 0.1  # logins first (argon2 each)
    stop = start + seconds
    marks = [asyncio.create_task(_mark(out, start, "start")),
             asyncio.create_task(_mark(out, stop, "stop"))]
    runs = await asyncio.gather(*(_client(base, name, password, ids, listing["periods"],
                                          start, stop, seed) for seed in range(clients)))
    cpu_start, cpu_stop = await asyncio.gather(*marks)
    return {"timings": [t for run in runs for t in run[0]],
            "errors": sum(run[1] for run in runs), "seconds": seconds,
            "cpu_seconds": cpu_stop - cpu_start}


def _generator(base: str, clients: int, warmup: float, seconds: float,
               out: Any) -> None:
    out.put(asyncio.run(_load(base, clients, warmup, seconds, out)))


def _pct(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    cuts = quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49] * 1000, 1), "p95": round(cuts[94] * 1000, 1),
            "p99": round(cuts[98] * 1000, 1)}


def serve_and_load(ws: Workspace, args: argparse.Namespace) -> dict[str, Any]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([ENDVAC, "serve", str(ws.root), "--port", str(port),
                               "--workers", str(args.workers),
                               "--insecure-cookies"])  # plain http on 127.0.0.1: httpx
                               # sends no Secure cookie over http
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        queue: Any = multiprocessing.Queue()
        generator = multiprocessing.Process(target=_generator, args=(
            base, args.clients, args.warmup, args.seconds, queue))
        generator.start()
        assert queue.get() == "start"  # the logins and the warm-up are done
        server_cpu = sum(_cpu_seconds(p) for p in _tree(server.pid))
        load_before = os.getloadavg()[0]
        assert queue.get() == "stop"
        server_cpu = sum(_cpu_seconds(p) for p in _tree(server.pid)) - server_cpu
        result: dict[str, Any] = queue.get()
        generator.join()
        result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    result["server_cpu_seconds"] = server_cpu
    return result


def report(result: dict[str, Any], args: argparse.Namespace,
           build_seconds: float | None) -> dict[str, Any]:
    timings = result["timings"]
    routes = sorted({r for r, _ in timings})
    cores = os.cpu_count() or 1
    summary = {"children": args.children if not args.workspace else None,
               "workspace": str(args.workspace) if args.workspace else None,
               "build_seconds": build_seconds, "clients": args.clients,
               "workers": args.workers, "seconds": args.seconds, "requests": len(timings),
               "errors": result["errors"],
               "throughput_rps": round(len(timings) / args.seconds, 1),
               **_pct([t for _, t in timings]),
               "routes": {r: _pct([t for q, t in timings if q == r]) for r in routes},
               "generator_cpu_cores": round(result["cpu_seconds"] / args.seconds, 2),
               "generator_cpu_share": round(result["cpu_seconds"] / (args.seconds * cores), 2),
               "server_cpu_cores": round(result["server_cpu_seconds"] / args.seconds, 2),
               "server_cpu_ms_per_request": round(1000 * result["server_cpu_seconds"] /
                                                  max(len(timings), 1), 2),
               "machine_cores": cores, "load_average_before_after": result["load_average"]}
    print(f"{summary['requests']} requests in {args.seconds} s by {args.clients} clients, "
          f"{args.workers} workers: {summary['throughput_rps']} req/s, "
          f"p50 {summary['p50']} ms, p95 {summary['p95']} ms, p99 {summary['p99']} ms, "
          f"{summary['errors']} errors")
    for route, cut in summary["routes"].items():
        print(f"  {route:15s} p50 {cut['p50']:7.1f} ms  p95 {cut['p95']:7.1f} ms")
    print(f"load generator: {summary['generator_cpu_cores']} cores "
          f"({summary['generator_cpu_share']:.0%} of the machine's {cores}); "
          f"server: {summary['server_cpu_cores']} cores, "
          f"{summary['server_cpu_ms_per_request']} ms CPU a request (measured window); "
          f"1-minute load average before "
          f"and after: {result['load_average']} (other work on the machine competes)")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--workspace", type=Path, help="reuse this built workspace")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="endvac-bench-web-"))
    try:
        ws, _, build_seconds = prepare(args, scratch)
        summary = report(serve_and_load(ws, args), args, build_seconds)
        print("RESULT " + json.dumps(summary), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
