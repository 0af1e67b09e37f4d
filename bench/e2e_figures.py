"""Figures of one bench/e2e.sh run, one table row each.

parse   OUT CONCURRENCY ESTIMATE [CLK_TCK]          streamed tokens/s and client CPU µs per token (whole run, and
                                                    once warmed up, from OUT.cpu samples: ticks user, system,
                                                    records, µs)
streams OUT CONCURRENCY SIM_LOG HEAP_1 HEAP_N       ok share, TTFT and stream TPS error vs the simulator's log,
                                                    heap per open stream
"""
import json
import sys

from figures import percentile, records, sim_truth


def warm_cpu(out, recs, ticks_per_second):
    """CPU µs per token and tokens/s from the first sample after the warm-up's records to the last sample."""
    try:
        with open(out + ".cpu") as f:
            samples = [tuple(int(x) for x in line.split()) for line in f if len(line.split()) == 4]
    except OSError:
        return None
    warmups = sum(1 for r in recs if r["warmup"])
    cumulative = [0]
    for r in recs:
        cumulative.append(cumulative[-1] + r["output_tokens"])
    # From the first sample once the warm-up's records are all written to the first once every record is (the
    # reports and the JVM's exit come after: not per token).
    start = next((s for s in samples if s[2] >= warmups and s[2] > 0), None)
    end = next((s for s in samples if s[2] >= len(recs)), samples[-1] if samples else None)
    if start is None or end[2] <= start[2]:
        return None
    tokens = cumulative[min(end[2], len(recs))] - cumulative[start[2]]
    cpu = (end[0] + end[1] - start[0] - start[1]) / ticks_per_second
    seconds = (end[3] - start[3]) / 1e6
    return cpu * 1e6 / tokens, tokens, cpu, tokens / seconds


def parse(out, concurrency, estimate, ticks_per_second=None):
    run = json.load(open(out + "/run.json"))
    recs = records(out)
    ok = sum(1 for r in recs if r["ok"])
    tokens = sum(r["output_tokens"] for r in recs)
    wall, cpu = run["wall_seconds"], run["client_cpu_seconds"]
    row = (f"parse-rate c={concurrency} {estimate:<13} {ok}/{len(recs)} ok, {tokens:,} tokens in {wall:.2f} s: "
           f"{tokens / wall:,.0f} tokens/s, {cpu * 1e6 / tokens:.3f} µs client CPU/token "
           f"({cpu / wall:.2f} cores)")
    warm = warm_cpu(out, recs, int(ticks_per_second)) if ticks_per_second else None
    if warm:
        row += (f"; warm: {warm[3]:,.0f} tokens/s, {warm[0]:.3f} µs/token over {warm[1]:,} tokens "
                f"({warm[2]:.2f} s CPU)")
    print(row)


def streams(out, concurrency, sim_log, heap_1, heap_n):
    truth = sim_truth(sim_log)
    recs = [r for r in records(out) if not r["warmup"]]
    ok = sum(1 for r in recs if r["ok"])
    ttft_errors, tps_errors = [], []
    for r in recs:
        t = truth.get(r["request_id"])
        if t is None or not r["ok"]:
            continue
        ttft_errors.append(r["ttft_ms"] - (t["first_token_written_ns"] - r["t_send_ns"]) / 1e6)
        window = (t["end_written_ns"] - t["first_output_written_ns"]) / 1e9
        sim_tps = t["output_tokens"] / window
        tps_errors.append(abs(r["stream_tps"] - sim_tps) / sim_tps * 100)
    heap_per_stream = (int(heap_n) - int(heap_1)) / (concurrency - 1) / 1024
    print(f"streams c={concurrency:<5} {ok}/{len(recs)} ok; TTFT error ms p50 {percentile(ttft_errors, 50):.3f} "
          f"p99 {percentile(ttft_errors, 99):.3f} max {max(ttft_errors, default=float('nan')):.3f}; "
          f"stream TPS error % p50 {percentile(tps_errors, 50):.4f} p99 {percentile(tps_errors, 99):.4f} "
          f"max {max(tps_errors, default=float('nan')):.4f}; heap per open stream {heap_per_stream:.1f} KiB "
          f"(live heap: {int(heap_1) / 2**20:.1f} MiB with 1 open, {int(heap_n) / 2**20:.1f} MiB with "
          f"{concurrency})")


if __name__ == "__main__":
    kind, args = sys.argv[1], sys.argv[2:]
    if kind == "parse":
        parse(args[0], int(args[1]), args[2], args[3] if len(args) > 3 else None)
    else:
        streams(args[0], int(args[1]), args[2], args[3], args[4])
