# The JVM options tokenbench runs with, for the launcher ./tokenbench and the JVM image's entrypoint (Dockerfile.jvm)
# alike: POSIX sh, sourced, prints the options. Why these: docs/accuracy.md, "Cold starts and small pods".
#   Up to 2 GiB for the JVM (a 512 Mi or 768 Mi pod): G1 with half of it as heap (the tokenizer's vocabulary alone
#   takes tens of MB), direct memory capped at 64 MB (Netty's buffers would default to the heap's size again).
#   ZGC there would map its heap three times (its RSS triples) and, without generations in JDK 17, stall
#   allocations in a small heap.
#   More (a workstation, a big pod): ZGC, pauses under a millisecond, so a collection never shows up as an
#   endpoint's latency; the heap a quarter of the memory, the JVM's default.
# The memory is -XX:MaxRAM in TOKENBENCH_JAVA_OPTS, else the container's limit (cgroup v2 or v1), else the
# machine's. TOKENBENCH_JAVA_OPTS comes after these options, so it wins; a collector named there replaces ours (the
# JVM refuses two).
tokenbench_java_options() {
  tb_opts=${TOKENBENCH_JAVA_OPTS:-}
  tb_mb=$(tokenbench_memory_mb "$tb_opts")
  if [ "$tb_mb" -lt 2048 ]; then
    tb_gc="-XX:+UseG1GC"
    tb_sizes="-XX:MaxRAMPercentage=50 -XX:MaxDirectMemorySize=64m"
  else
    tb_gc="-XX:+UseZGC"
    tb_sizes=""
  fi
  case " $tb_opts " in
    *" -XX:+Use"*"GC "*) tb_gc="" ;;
  esac
  echo "$tb_gc $tb_sizes $tb_opts"
}

# The memory the JVM may use, in MiB (see above).
tokenbench_memory_mb() {
  for tb_opt in $1; do
    case $tb_opt in
      -XX:MaxRAM=*) tokenbench_to_mb "${tb_opt#-XX:MaxRAM=}"; return ;;
    esac
  done
  tb_limit=""
  if [ -r /sys/fs/cgroup/memory.max ]; then
    read -r tb_limit </sys/fs/cgroup/memory.max
  elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
    read -r tb_limit </sys/fs/cgroup/memory/memory.limit_in_bytes
  fi
  # No awk: the JVM image (ubi-minimal) has none.
  tb_total=0
  if [ -r /proc/meminfo ]; then
    while read -r tb_key tb_value tb_unit; do
      if [ "$tb_key" = "MemTotal:" ]; then
        tb_total=$((tb_value / 1024))
        break
      fi
    done </proc/meminfo
  fi
  case $tb_limit in
    ''|max|*[!0-9]*) echo "$tb_total" ;;
    *)
      # cgroup v1 reports "no limit" as a huge number: the machine's memory is the bound then.
      tb_limit_mb=$((tb_limit / 1048576))
      if [ "$tb_total" -gt 0 ] && [ "$tb_limit_mb" -gt "$tb_total" ]; then
        echo "$tb_total"
      else
        echo "$tb_limit_mb"
      fi
      ;;
  esac
}

# 512m, 2g, 524288k or bytes → MiB.
tokenbench_to_mb() {
  case $1 in
    *[gG]) echo $(( ${1%?} * 1024 )) ;;
    *[mM]) echo "${1%?}" ;;
    *[kK]) echo $(( ${1%?} / 1024 )) ;;
    *) echo $(( $1 / 1048576 )) ;;
  esac
}
