#!/usr/bin/env python3
"""CPU time per JVM thread group of a Spark driver run (BENCHMARKS.md, "Fifth session").

Usage: jobs/lib/thread_cpu.py COMMAND [ARGS...]
Runs COMMAND (e.g. jobs/ohem-mine.sh --input DIR --output OUT --master 'local[2]'), its stdout
and stderr to thread_cpu.out / thread_cpu.err in the current folder, and polls every 0.2 s the
threads of each running org.apache.spark.deploy.SparkSubmit JVM: utime + stime of
/proc/<pid>/task/<tid>/stat, the last value seen per thread. Prints the wall time, the total
CPU seconds and the CPU seconds per thread name with digits folded to '#' (so the executor
task threads, the JIT compiler threads 'C# CompilerThre', the driver's main thread 'java' and
the GC threads each sum to one line). A thread that ends between two polls loses at most 0.2 s.
"""
import collections
import os
import re
import subprocess
import sys
import time


def spark_pids():
    out = subprocess.run(["pgrep", "-f", "org.apache.spark.deploy.SparkSubmit"],
                         capture_output=True, text=True).stdout
    return out.split()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tick = os.sysconf("SC_CLK_TCK")
    with open("thread_cpu.out", "w") as out, open("thread_cpu.err", "w") as err:
        t0 = time.time()
        p = subprocess.Popen(sys.argv[1:], stdout=out, stderr=err)
        last = {}
        while p.poll() is None:
            for pid in spark_pids():
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
    print(f"exit {p.returncode}, wall {wall:.1f} s, cpu {sum(groups.values()):.1f} s")
    for name, cpu in groups.most_common(12):
        print(f"{cpu:8.2f}  {name}")


if __name__ == "__main__":
    main()
