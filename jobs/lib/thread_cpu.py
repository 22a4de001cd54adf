#!/usr/bin/env python3
"""CPU time per JVM thread group of a Spark driver run (BENCHMARKS.md, "Fifth session").

Usage: jobs/lib/thread_cpu.py [--stdout F] [--stderr F] [--json F] COMMAND [ARGS...]
Runs COMMAND (e.g. jobs/ohem-mine.sh --input DIR --output OUT --master 'local[2]'), its stdout
and stderr to F (default thread_cpu.out / thread_cpu.err in the current folder), and polls
every 0.2 s the threads of each org.apache.spark.deploy.SparkSubmit JVM that COMMAND started
(its descendants only: other users' Spark JVMs on the machine are left out): utime + stime of
/proc/<pid>/task/<tid>/stat, the last value seen per thread. Prints the wall time, the total
CPU seconds and the CPU seconds per thread name with digits folded to '#' (so the executor
task threads, the JIT compiler threads 'C# CompilerThre', the driver's main thread 'java' and
the GC threads each sum to one line); --json F also writes them as one JSON object (every
group, and the coarser kinds of KINDS). A thread that ends between two polls loses at most
0.2 s.
"""
import collections
import json
import os
import re
import subprocess
import sys
import time

# thread name (digits folded) -> kind, first match wins
KINDS = [
    ("executor tasks", r"^Executor task"),
    ("JIT compilers", r"Compiler|Sweeper"),
    ("GC", r"^GC Thread|^G# |^G1 |^VM Thread|Conc#|Refine|Young RemSet|Service"),
    ("driver main", r"^java$|^main$"),
]


def kind(name):
    for k, pat in KINDS:
        if re.search(pat, name):
            return k
    return "other threads"


def descendants(root):
    """Pids of root's descendants (root included)."""
    children = collections.defaultdict(list)
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()
            children[int(stat[1])].append(int(d))
        except (OSError, IndexError, ValueError):
            pass
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def spark_pids(root):
    pids = []
    for pid in descendants(root):
        try:
            if b"org.apache.spark.deploy.SparkSubmit" in open(f"/proc/{pid}/cmdline", "rb").read():
                pids.append(pid)
        except OSError:
            pass
    return pids


def main():
    args = sys.argv[1:]
    files = {"--stdout": "thread_cpu.out", "--stderr": "thread_cpu.err", "--json": None}
    while args and args[0] in files:
        files[args[0]] = args[1]
        args = args[2:]
    if not args:
        sys.exit(__doc__)
    tick = os.sysconf("SC_CLK_TCK")
    with open(files["--stdout"], "w") as out, open(files["--stderr"], "w") as err:
        t0 = time.time()
        p = subprocess.Popen(args, stdout=out, stderr=err)
        last = {}
        pids, polls = [], 0
        while p.poll() is None:
            if polls % 5 == 0:  # the process tree, once a second (it costs a /proc scan)
                pids = spark_pids(p.pid)
            polls += 1
            for pid in pids:
                try:
                    tids = os.listdir(f"/proc/{pid}/task")
                except OSError:
                    continue
                for tid in tids:
                    try:
                        name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
                        fields = open(f"/proc/{pid}/task/{tid}/stat").read().rsplit(")", 1)[1]
                        f = fields.split()
                        last[(pid, tid)] = (name, int(f[11]) + int(f[12]))
                    except (OSError, IndexError, ValueError):
                        pass
            time.sleep(0.2)
        wall = time.time() - t0
    groups = collections.Counter()
    for name, ticks in last.values():
        groups[re.sub(r"[0-9]+", "#", name)] += ticks / tick
    kinds = collections.Counter()
    for name, cpu in groups.items():
        kinds[kind(name)] += cpu
    print(f"exit {p.returncode}, wall {wall:.1f} s, cpu {sum(groups.values()):.1f} s")
    for name, cpu in groups.most_common(12):
        print(f"{cpu:8.2f}  {name}")
    if files["--json"]:
        json.dump({"exit": p.returncode, "wall_s": wall, "cpu_s": sum(groups.values()),
                   "kinds": dict(kinds), "groups": dict(groups)}, open(files["--json"], "w"))
    sys.exit(p.returncode)


if __name__ == "__main__":
    main()
