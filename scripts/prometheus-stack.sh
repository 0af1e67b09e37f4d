#!/usr/bin/env bash
# A throwaway Prometheus + Pushgateway on 127.0.0.1, for the metrics integration tests and for trying the
# dashboards' queries by hand. Debian's packages are installed when missing (root, apt-get); nothing listens
# anywhere but the loopback, data lives in a temp directory, and both servers are stopped by their PIDs.
#
#   scripts/prometheus-stack.sh install
#   scripts/prometheus-stack.sh start DIR [RULES_FILE [SERVE_HOST:PORT]]
#                                      # writes DIR/env: PROMETHEUS_URL, PUSHGATEWAY_URL, PIDs
#   scripts/prometheus-stack.sh stop DIR
#
# start picks free ports, scrapes the Pushgateway every second with honor_labels (the job and grouping labels
# of pushed series are kept) and loads RULES_FILE (e.g. dashboards/prometheus/tokenbench-alerts.yml) when given;
# with SERVE_HOST:PORT it also scrapes a tokenbench serve there at /q/metrics every second (job tokenbench-serve).
set -euo pipefail

install() {
    if command -v prometheus >/dev/null && command -v promtool >/dev/null \
            && command -v prometheus-pushgateway >/dev/null; then
        return 0
    fi
    # The packages' maintainer scripts would start system services; where no policy says otherwise, forbid it
    # for the length of the install so nothing but what `start` runs ever listens.
    local policy=/usr/sbin/policy-rc.d made_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod +x "$policy"
        made_policy=1
    fi
    {
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus \
            prometheus-pushgateway
    } >&2 || { [ "$made_policy" = 1 ] && rm -f "$policy"; echo "prometheus-stack: apt-get install failed" >&2; exit 1; }
    if [ "$made_policy" = 1 ]; then
        rm -f "$policy"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' \
        2>/dev/null || shuf -i 20000-60000 -n 1
}

wait_ready() { # URL NAME PID
    local i
    for i in $(seq 1 150); do
        if ! kill -0 "$3" 2>/dev/null; then
            echo "prometheus-stack: $2 exited at start; see its log" >&2
            return 1
        fi
        if curl -fsS -o /dev/null "$1" 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    echo "prometheus-stack: $2 not ready at $1 after 30 s" >&2
    return 1
}

start() {
    local dir=$1 rules=${2:-} serve=${3:-}
    install
    mkdir -p "$dir/data"
    local prom_port gw_port
    prom_port=$(free_port)
    gw_port=$(free_port)
    while [ "$gw_port" = "$prom_port" ]; do gw_port=$(free_port); done

    # Debian's build persists to /var/lib/prometheus by default: keep this one's state in the temp dir.
    prometheus-pushgateway --web.listen-address="127.0.0.1:$gw_port" \
        --persistence.file="$dir/pushgateway.data" >"$dir/pushgateway.log" 2>&1 &
    local gw_pid=$!
    echo "$gw_pid" >"$dir/pushgateway.pid"

    {
        echo "global:"
        echo "  scrape_interval: 1s"
        echo "  evaluation_interval: 1s"
        if [ -n "$rules" ]; then
            echo "rule_files:"
            echo "  - $(readlink -f "$rules")"
        fi
        echo "scrape_configs:"
        echo "  - job_name: pushgateway"
        echo "    honor_labels: true"
        echo "    static_configs:"
        echo "      - targets: ['127.0.0.1:$gw_port']"
        if [ -n "$serve" ]; then
            echo "  - job_name: tokenbench-serve"
            echo "    metrics_path: /q/metrics"
            echo "    static_configs:"
            echo "      - targets: ['$serve']"
        fi
    } >"$dir/prometheus.yml"
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
        --web.listen-address="127.0.0.1:$prom_port" >"$dir/prometheus.log" 2>&1 &
    local prom_pid=$!
    echo "$prom_pid" >"$dir/prometheus.pid"

    {
        echo "PROMETHEUS_URL=http://127.0.0.1:$prom_port"
        echo "PUSHGATEWAY_URL=http://127.0.0.1:$gw_port"
        echo "PROMETHEUS_PID=$prom_pid"
        echo "PUSHGATEWAY_PID=$gw_pid"
    } >"$dir/env"

    if ! wait_ready "http://127.0.0.1:$gw_port/-/ready" pushgateway "$gw_pid" \
            || ! wait_ready "http://127.0.0.1:$prom_port/-/ready" prometheus "$prom_pid"; then
        stop "$dir"
        exit 1
    fi
    cat "$dir/env"
}

stop() {
    local dir=$1 name pid
    for name in prometheus pushgateway; do
        if [ -f "$dir/$name.pid" ]; then
            pid=$(cat "$dir/$name.pid")
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -9 "$pid" 2>/dev/null || true
            rm -f "$dir/$name.pid"
        fi
    done
}

case "${1:-}" in
    install) install ;;
    start) [ $# -ge 2 ] || { echo "usage: $0 start DIR [RULES_FILE [SERVE_HOST:PORT]]" >&2; exit 2; }
        start "$2" "${3:-}" "${4:-}" ;;
    stop) [ $# -ge 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$2" ;;
    *) echo "usage: $0 install | start DIR [RULES_FILE [SERVE_HOST:PORT]] | stop DIR" >&2; exit 2 ;;
esac
