"""Wire times of a tokenbench run, from a loopback packet capture, on the client's and the simulator's clock.

offset                                   prints CLOCK_REALTIME - CLOCK_MONOTONIC in ns (the pair read closest
                                         together of 2,000 tries) and the bracket's width, for the capture's clock
                                         map; run it before and after the capture
firsts PCAP PORT OFFSETS SIM_LOG OUT LABEL
                                         a line per request: LABEL, its target, first (its target's first request)
                                         or rest, then client send, server send, server deliver, client deliver
                                         and TTFT error in ms (the parts of `legs`)
legs PCAP PORT OFFSETS SIM_LOG OUT LABEL [WAVE]
                                         per request (non-warm-up, ok): the send leg t_send -> simulator received
                                         split at the request's first byte on the wire (client: t_send -> wire;
                                         server: wire -> received), and the first token's leg split the same way
                                         (server: written -> on the wire; client: wire -> t_first_token); p50/p99/max
                                         of each part, and of the client's part of the TTFT error (its send part plus
                                         its deliver part). With WAVE=N, also per wave of N requests in the order
                                         they were sent (wave 1: the first N, wave 2: the next N). Also the
                                         stream TPS error against the log (as bench/e2e_figures.py streams).

Times in a pcap are CLOCK_REALTIME; tokenbench's and the simulator's are System.nanoTime(), which on Linux is
CLOCK_MONOTONIC. OFFSETS is a file with the two `offset` lines; the first maps the capture, and the difference of
the two is the drift of the map over the run (an NTP step or slew between the clocks), printed with the figures.
"""
import math
import struct
import sys
import time

from figures import percentile, records, sim_truth


def offset():
    best = None
    for _ in range(2000):
        a = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        r = time.clock_gettime_ns(time.CLOCK_REALTIME)
        b = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        if best is None or b - a < best[0]:
            best = (b - a, r - (a + b) // 2)
    print(best[1], best[0])


def packets(path, port):
    """(ts_realtime_ns, direction 'up' (to the port) or 'down', connection (client port), payload) of every TCP
    segment with a payload, from an Ethernet (lo) or Linux cooked capture."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic == 0xA1B23C4D:
        endian, frac = "<", 1
    elif magic == 0xA1B2C3D4:
        endian, frac = "<", 1000
    elif magic == 0x4D3CB2A1:
        endian, frac = ">", 1
    else:
        endian, frac = ">", 1000
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    link_header = {1: 14, 113: 16, 276: 20}[linktype]
    pos = 24
    n = len(data)
    while pos + 16 <= n:
        sec, sub, incl, _ = struct.unpack(endian + "IIII", data[pos:pos + 16])
        pos += 16
        frame = data[pos:pos + incl]
        pos += incl
        ip = frame[link_header:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
            continue
        ihl = (ip[0] & 0xF) * 4
        total = struct.unpack(">H", ip[2:4])[0]
        tcp = ip[ihl:]
        sport, dport = struct.unpack(">HH", tcp[:4])
        doff = (tcp[12] >> 4) * 4
        if total - ihl - doff <= 0:
            continue
        payload = tcp[doff:]
        ts = sec * 1_000_000_000 + sub * frac
        if dport == port:
            yield ts, "up", sport, payload
        elif sport == port:
            yield ts, "down", dport, payload


def stats(values):
    return (f"p50 {percentile(values, 50):.3f} p99 {percentile(values, 99):.3f} "
            f"max {max(values, default=float('nan')):.3f}")


def split(pcap, port, offsets, sim_log, out):
    """(rows, missing, drift_us, bracket_us): a row per ok non-warm-up request in send order, (index, client send,
    server send, server deliver, client deliver, TTFT error, stream TPS error %, target), times in ms."""
    with open(offsets) as f:
        lines = [line.split() for line in f if line.strip()]
    realtime_minus_monotonic = int(lines[0][0])
    drift_us = (int(lines[-1][0]) - realtime_minus_monotonic) / 1e3
    bracket_us = max(int(line[1]) for line in lines) / 1e3
    request_wire = {}          # request id -> (monotonic ns of its first byte on the wire, connection)
    down = {}                  # connection -> [monotonic ns of each segment the simulator sent on it]
    key = b"\r\nx-request-id: "
    for ts, direction, conn, payload in packets(pcap, port):
        mono = ts - realtime_minus_monotonic
        if direction == "down":
            down.setdefault(conn, []).append(mono)
            continue
        at = payload.lower().find(key)
        if at < 0:
            continue
        end = payload.find(b"\r\n", at + len(key))
        request_id = payload[at + len(key):end].decode("ascii", "replace")
        request_wire.setdefault(request_id, (mono, conn))
    truth = sim_truth(sim_log)
    recs = records(out)
    recs = sorted((r for r in recs if not r["warmup"]), key=lambda r: r["t_send_ns"])
    rows, missing = [], 0
    for i, r in enumerate(recs):
        t = truth.get(r["request_id"])
        wire = request_wire.get(r["request_id"])
        if t is None or wire is None or not r["ok"] or r.get("ttft_ms") is None:
            missing += 1
            continue
        send_client = (wire[0] - r["t_send_ns"]) / 1e6
        send_server = (t["received_ns"] - wire[0]) / 1e6
        written = t["first_token_written_ns"]
        # The first segment the simulator sent on this connection at or after its first token's write stamp.
        token_wire = next((ts for ts in down.get(wire[1], ()) if ts >= written), None)
        if token_wire is None:
            missing += 1
            continue
        first_token_client = r["t_send_ns"] + r["ttft_ms"] * 1e6
        deliver_server = (token_wire - written) / 1e6
        deliver_client = (first_token_client - token_wire) / 1e6
        ttft_error = r["ttft_ms"] - (written - t["received_ns"]) / 1e6
        window = (t["end_written_ns"] - t["first_output_written_ns"]) / 1e9
        sim_tps = t["output_tokens"] / window if window > 0 else float("nan")
        tps_error = abs(r["stream_tps"] - sim_tps) / sim_tps * 100 if r.get("stream_tps") else float("nan")
        rows.append((i, send_client, send_server, deliver_server, deliver_client, ttft_error, tps_error,
                     r["target"]))
    return rows, missing, drift_us, bracket_us


def legs(pcap, port, offsets, sim_log, out, label, wave=None):
    rows, missing, drift_us, bracket_us = split(pcap, port, offsets, sim_log, out)

    def show(name, part):
        print(f"{label} {name}: {len(part)} requests; send leg ms, client (t_send->wire) {stats([x[1] for x in part])}; "
              f"server (wire->received) {stats([x[2] for x in part])}")
        print(f"{label} {name}: first token ms, server (written->wire) {stats([x[3] for x in part])}; "
              f"client (wire->seen) {stats([x[4] for x in part])}")
        print(f"{label} {name}: TTFT error ms {stats([x[5] for x in part])}; its client part "
              f"{stats([x[1] + x[4] for x in part])}; stream TPS error % "
              f"{stats([x[6] for x in part if not math.isnan(x[6])])}")

    show("all", rows)
    if wave:
        for w in range(2):
            show(f"wave {w + 1}", [x for x in rows if w * wave <= x[0] < (w + 1) * wave])
    print(f"{label}: {missing} requests without a capture, a log entry or a first token; clock map drift over the "
          f"run {drift_us:.1f} µs, read within {bracket_us:.1f} µs")


def firsts(pcap, port, offsets, sim_log, out, label):
    rows, missing, drift_us, bracket_us = split(pcap, port, offsets, sim_log, out)
    seen = set()
    for row in rows:
        first = row[7] not in seen
        seen.add(row[7])
        print(f"{label} {row[7]} {'first' if first else 'rest'} {row[1]:.3f} {row[2]:.3f} {row[3]:.3f} {row[4]:.3f} "
              f"{row[5]:.3f}")
    if missing:
        print(f"{label}: {missing} requests without a capture, a log entry or a first token", file=sys.stderr)


if __name__ == "__main__":
    kind, args = sys.argv[1], sys.argv[2:]
    if kind == "offset":
        offset()
    elif kind == "firsts":
        firsts(args[0], int(args[1]), *args[2:6])
    else:
        legs(args[0], int(args[1]), args[2], args[3], args[4], args[5], int(args[6]) if len(args) > 6 else None)
