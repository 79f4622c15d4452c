"""Control-plane requests per second with real SigV4 clients: boto3 loops in several processes
against one or more `fleetguard serve` binaries, measured side by side in one run.

    /usr/bin/python3 bench/api/sigv4_rps.py --seconds 10 --processes 2 --rounds 3 \
        before=/tmp/fleetguard-before after=build/debug/src/app/fleetguard

Each binary gets its own fresh data directory and server. Rounds alternate between the binaries
(before, after, before, after, ...) so that load from other work on the machine falls on both;
the median round is reported. Each client process makes a boto3 client once and then calls
ListThings(maxResults=1) on an empty account in a loop: the request is dominated by SigV4
verification (with its access-key lookup) and one small registry read.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "integration"))

import fgtest  # noqa: E402
from awsclients import boto3_client  # noqa: E402


def client_loop(server_url, account, seconds, start_at, out):
    class _Server:  # the one attribute boto3_client reads
        api_url = server_url

    client = boto3_client(_Server, account)
    client.list_things(maxResults=1)  # connect and warm up before the clock starts
    while time.monotonic() < start_at:
        time.sleep(0.001)
    count, deadline = 0, start_at + seconds
    while time.monotonic() < deadline:
        client.list_things(maxResults=1)
        count += 1
    out.put(count)


def measure(server, account, seconds, processes):
    out = multiprocessing.Queue()
    start_at = time.monotonic() + 2.0
    procs = [multiprocessing.Process(target=client_loop,
                                     args=(server.api_url, account, seconds, start_at, out))
             for _ in range(processes)]
    for p in procs:
        p.start()
    total = sum(out.get(timeout=seconds + 60) for _ in procs)
    for p in procs:
        p.join()
    return total / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binaries", nargs="+", help="name=path of a fleetguard binary")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    targets = []
    for spec in args.binaries:
        name, path = spec.split("=", 1)
        fgtest.FG_BIN = os.path.abspath(path)
        data = fgtest.DataDir()
        targets.append((name, path, data, fgtest.Server(data)))
    results = {name: [] for name, _, _, _ in targets}
    try:
        for _ in range(args.rounds):
            for name, _, data, server in targets:
                results[name].append(
                    measure(server, data.first_account, args.seconds, args.processes))
    finally:
        for _, _, data, server in targets:
            server.stop()
            data.cleanup()
    print(f"{args.processes} client processes, {args.seconds:g} s per round, "
          f"{args.rounds} rounds (alternating)")
    for name, path, _, _ in targets:
        rounds = ", ".join(f"{r:.0f}" for r in results[name])
        print(f"{name:>8}: median {statistics.median(results[name]):.0f} requests/s "
              f"(rounds: {rounds})  {path}")


if __name__ == "__main__":
    main()
