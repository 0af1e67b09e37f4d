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
