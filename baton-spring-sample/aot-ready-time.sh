#!/usr/bin/env bash
# Time from a successor's start to ready for the sample app, with and without a JDK AOT cache, per server:
# each run starts generation 1 and upgrades it with SIGHUP N times; the predecessor logs "generation G (pid P)
# is ready after M ms" (from the successor's launch to its ready()); this prints those M.
#   modes: fat (java -jar on the Boot jar), extracted (java -jar on the jar `-Djarmode=tools extract` makes),
#   aot (the extracted jar with -XX:AOTCache, trained once per server by a run with -XX:AOTCacheOutput).
# usage: baton-spring-sample/aot-ready-time.sh [upgrades per run, default 3] [servers, default "tomcat jetty webflux"]
# Needs the packaged jar (mvnw package or verify) and JAVA_HOME on JDK 25. Nothing is left running.
set -euo pipefail
upgrades="${1:-3}"
servers="${2:-tomcat jetty webflux}"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/baton-spring-sample.jar"
[[ -f "$jar" ]] || { echo "no $jar: run ./mvnw -pl baton-spring-sample -am package first" >&2; exit 2; }
work="$(mktemp -d /tmp/baton-aot-ready.XXXXXX)"
chmod 700 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  [[ -f "$work/app.pid" ]] && kill -TERM "$(cat "$work/app.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT
"$java" -Djarmode=tools -jar "$jar" extract --destination "$work/app" >/dev/null
extracted="$work/app/baton-spring-sample.jar"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

await() { # await SECONDS COMMAND...: polls COMMAND every 0.1 s
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || { echo "timed out: $*" >&2; return 1; }
    sleep 0.1
  done
}
answers() { curl -fs -m 1 "http://127.0.0.1:$port/" >/dev/null; }
ready_at_least() { (($(grep -c "is ready after" "$1" 2>/dev/null || true) >= $2)); } # ready_at_least LOG N

# run MODE SERVER JAVA_FLAGS... : one generation 1, N upgrades; prints the ready times
run() {
  local mode="$1" server="$2"; shift 2
  local target="$extracted"; [[ "$mode" == fat ]] && target="$jar"
  local profile=(); [[ "$server" != tomcat ]] && profile=("--spring.profiles.active=$server")
  local log="$work/$mode-$server.log"
  rm -f "$work/app.pid"
  BATON_CONTROL_DIR="$work" "$java" -XX:TieredStopAtLevel=1 "$@" -jar "$target" --server.port="$port" \
      --server.address=127.0.0.1 --baton.name="aot-$mode-$server" --baton.pidfile="$work/app.pid" \
      --spring.main.banner-mode=off "${profile[@]}" </dev/null >"$log" 2>&1 &
  pids+=($!)
  await 120 answers
  local times=()
  for ((i = 1; i <= upgrades; i++)); do
    kill -HUP "$(cat "$work/app.pid")"
    await 120 ready_at_least "$log" "$i"
    times+=("$(grep -o 'is ready after [0-9]*' "$log" | sed -n "${i}p" | grep -o '[0-9]*$')")
    await 60 answers
  done
  kill -TERM "$(cat "$work/app.pid")"
  await 60 bash -c "! curl -fs -m 1 http://127.0.0.1:$port/ >/dev/null"
  sleep 1
  echo "ready_ms mode=$mode server=$server ${times[*]}"
}

train() { # train SERVER: a run with -XX:AOTCacheOutput that serves a few requests, stopped by SIGTERM
  local server="$1" profile=(); [[ "$server" != tomcat ]] && profile=("--spring.profiles.active=$server")
  BATON_CONTROL_DIR="$work" "$java" -XX:TieredStopAtLevel=1 -XX:AOTCacheOutput="$work/$server.aot" -jar "$extracted" \
      --server.port="$port" --server.address=127.0.0.1 --baton.name="aot-train-$server" --spring.main.banner-mode=off \
      "${profile[@]}" </dev/null >"$work/train-$server.log" 2>&1 &
  local pid=$!
  await 120 answers
  for _ in $(seq 1 200); do curl -fs -m 1 "http://127.0.0.1:$port/" >/dev/null; done
  curl -fs -m 2 "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null || true
  kill -TERM "$pid"
  wait "$pid" || true # the JVM assembles the cache as it exits
  [[ -f "$work/$server.aot" ]] || { echo "no cache written for $server:" >&2; tail -20 "$work/train-$server.log" >&2; exit 1; }
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$java" -version 2>&1 | head -1)"
for server in $servers; do
  run fat "$server"
  run extracted "$server"
  train "$server"
  run aot "$server" -XX:AOTCache="$work/$server.aot" -Xlog:aot*=off,cds*=off
done
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
