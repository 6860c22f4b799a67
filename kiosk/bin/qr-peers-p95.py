#!/usr/bin/python3
"""Runs ../shared/bench/qr-peers.py unchanged and also prints each decoder's p95 time.

qr-peers.py prints the median and mean time per image; bench-decode also reports p95. This wrapper records the
times list qr-peers.py hands to statistics.median and prints "p95 <decoder-line-follows> p95_ms=X" just before the
decoder's own line.

With --cpu, qr-peers.py's timer is the thread's CPU time (time.thread_time) instead of the wall clock, as
DecodeBenchmark --cpu times ours: on a machine shared with other builds, preemption inflates wall times unevenly
between runs, while CPU time still compares decoders.

  qr-peers-p95.py PATH/TO/qr-peers.py DIR... [--rotations] [--repeat N] [--cpu]
"""
import math, runpy, statistics, sys, time

script = sys.argv[1]
median = statistics.median


def median_and_p95(values):
    ordered = sorted(values)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else 0.0
    print(f"p95 p95_ms={p95:.2f}", flush=True)
    return median(values)


statistics.median = median_and_p95
args = sys.argv[2:]
if "--cpu" in args:
    args.remove("--cpu")
    time.perf_counter = time.thread_time
sys.argv = [script] + args
runpy.run_path(script, run_name="__main__")
