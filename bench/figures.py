"""What the bench/ figure scripts share: a run's records, the simulator's log, nearest-rank percentiles."""
import json
import math


def records(out):
    """requests.jsonl of the run directory OUT, one dict per line."""
    with open(out + "/requests.jsonl") as f:
        return [json.loads(line) for line in f]


def sim_truth(sim_log):
    """The simulator's log (sim --log) by request id: when it received each request and wrote each event."""
    truth = {}
    with open(sim_log) as f:
        for line in f:
            entry = json.loads(line)
            truth[entry["request_id"]] = entry
    return truth


def percentile(values, p):
    """Nearest rank, as tokenbench's summaries."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
