# Sourced by ./baton for the baton command's jar ($jar): adds to $flags the JDK's AOT cache of the classes
# the CLI loads (JDK 25, JEP 483/514), made once per build by a training run, so the CLI starts in a
# fraction of the time. A cache that does not match the jars (rebuilt since) is never an error: the JVM
# runs without it, and -Xlog keeps its warning off the user's terminal; the next call makes a new one.
aot_cache="${jar%.jar}.aot"
aot_quiet=(-Xlog:aot=off -Xlog:cds=off -Xlog:aot+codecache=off)

aot_current() { # whether the cache is newer than the jar and every jar on its class path
  local lib
  [ -f "$aot_cache" ] && [ ! "$jar" -nt "$aot_cache" ] || return 1
  for lib in "$(dirname "$jar")"/lib/*.jar; do
    [ ! "$lib" -nt "$aot_cache" ] || return 1
  done
}

if ! aot_current; then
  # The training run: what a short command loads (picocli, the commands, the control client). It answers
  # "no control socket" for a service that does not exist, in a control directory of its own.
  aot_training="$(mktemp -d "${TMPDIR:-/tmp}/baton-aot.XXXXXX")"
  rm -f "$aot_cache"
  BATON_CONTROL_DIR="$aot_training" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "${aot_quiet[@]}" \
    -XX:AOTCacheOutput="$aot_cache.tmp" -jar "$jar" status --name aot-training >/dev/null 2>&1 || true
  [ -f "$aot_cache.tmp" ] && mv -f "$aot_cache.tmp" "$aot_cache"
  rm -rf "$aot_training"
fi
if [ -f "$aot_cache" ]; then
  flags+=("${aot_quiet[@]}" -XX:AOTCache="$aot_cache")
fi
unset aot_cache aot_quiet aot_training
