"""Figures of one bench/tls.sh run: one row per transport.

tls_figures.py NAME OUT SIM_LOG     TTFT error (the first token's arrival at tokenbench minus the simulator's write of
                                    it, same monotonic clock) and deliver (a token's write to tokenbench seeing it: the
                                    first token and the end of the stream, both stamped on each side) at p50, p99, max
"""
import sys

from figures import percentile, records, sim_truth


def main(name, out, sim_log):
    truth = sim_truth(sim_log)
    recs = records(out)
    measured = [r for r in recs if not r["warmup"]]
    ok = sum(1 for r in measured if r["ok"])
    versions = sorted({r.get("http_version") or "?" for r in measured})
    # A reference client (bench/sdk) does not say which requests opened a connection.
    connections = (sum(1 for r in recs if r.get("connection_reused") is False)
                   if any("connection_reused" in r for r in recs) else "-")
    ttft, deliver = [], []
    for r in measured:
        t = truth.get(r["request_id"])
        if t is None or not r["ok"]:
            continue
        ttft.append(r["ttft_ms"] - (t["first_token_written_ns"] - r["t_send_ns"]) / 1e6)
        deliver.append((r["t_first_token_ns"] - t["first_token_written_ns"]) / 1e6)
        deliver.append((r["t_end_ns"] - t["end_written_ns"]) / 1e6)

    def stats(values):
        return (f"p50 {percentile(values, 50):6.3f} p99 {percentile(values, 99):6.3f} "
                f"max {max(values, default=float('nan')):7.3f}")

    print(f"{name:<10} {ok}/{len(measured)} ok {','.join(versions):<9} {connections:>3} conn | "
          f"TTFT error ms {stats(ttft)} | deliver ms {stats(deliver)}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
