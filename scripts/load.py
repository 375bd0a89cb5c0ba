"""N people opening the board at once, through the websocket as a browser does (run by hand):

    .venv/bin/python scripts/load.py --url http://127.0.0.1:8501 --clients 20 --runs 5

Each client opens a session and asks for the board, then changes a filter (month, township) run after run;
the time of a run is from the request to the server's `script_finished`. Prints p50 / p95 / max per run, the
runs per second, and the server CPU each run cost (all `streamlit` processes on this machine, from /proc).
The first run of a fresh server fills its caches: --warmup runs one client per process first.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

QUERIES = ["month=2024-06", "month=2024-06&township=T03", "month=2024-05", "month=2024-06&list=task",
           "month=2024-04&township=T07"]


async def one_run(ws, query: str) -> float:
    msg = BackMsg()
    msg.rerun_script.query_string = query
    started = time.perf_counter()
    await ws.send(msg.SerializeToString())
    while True:
        reply = ForwardMsg()
        reply.ParseFromString(await ws.recv())
        if reply.WhichOneof("type") == "script_finished":
            return time.perf_counter() - started


async def client(url: str, runs: int, offset: int, times: list[float]) -> None:
    async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=60) as ws:
        for k in range(runs):
            times.append(await one_run(ws, QUERIES[(offset + k) % len(QUERIES)]))


def server_cpu() -> float:
    """CPU seconds used so far by every streamlit process on this machine."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and b"streamlit" in (proc / "cmdline").read_bytes():
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            continue
    return total


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=4, help="clients run one after another first (fill caches)")
    args = parser.parse_args()
    for k in range(args.warmup):
        await client(args.url, len(QUERIES), k, [])
    times: list[float] = []
    cpu0, t0 = server_cpu(), time.perf_counter()
    await asyncio.gather(*(client(args.url, args.runs, k, times) for k in range(args.clients)))
    wall, cpu = time.perf_counter() - t0, server_cpu() - cpu0
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"{args.clients} clients × {args.runs} runs at {args.url}: p50 {statistics.median(times):.2f} s, "
          f"p95 {p95:.2f} s, max {times[-1]:.2f} s; {len(times) / wall:.1f} runs/s; "
          f"server CPU {cpu / len(times) * 1000:.0f} ms per run")


if __name__ == "__main__":
    asyncio.run(main())
