# Sourced by the bench/ scripts.

# await_listening FILE: waits (at most 60 s) until a process writing FILE (the simulator, tcpdump) says it is
# listening; exits 3 naming FILE when it does not.
await_listening() {
  for _ in $(seq 1 300); do
    grep -q 'listening' "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "it did not start listening; see $1" >&2
  exit 3
}

# start_capture PREFIX PORT BUFFER_KIB [COMMAND...]: captures the loopback segments that carry a payload to or from
# PORT into PREFIX.pcap, with nanosecond time stamps (tcpdump's messages in PREFIX.tcpdump), run under COMMAND (say
# nice -n -15) when given; sets dump_pid and returns once tcpdump listens. stop_capture ends it.
start_capture() {
  local prefix=$1 port=$2 buffer=$3
  shift 3
  "$@" tcpdump -i lo -n -s 1024 -B "$buffer" --time-stamp-precision=nano -w "$prefix.pcap" \
    "tcp port $port and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)" 2>"$prefix.tcpdump" &
  dump_pid=$!
  await_listening "$prefix.tcpdump"
}

stop_capture() {
  kill -INT "$dump_pid"
  wait "$dump_pid" 2>/dev/null || true
}
