# Sourced by ./baton and ./test: sets JAVA_HOME to a JDK 25 or newer, or explains what is missing.
required_java=25

java_major() { # prints the major version of the java at $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

find_java_home() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* \
                   "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate/bin/java")"
    if [ -n "$major" ] && [ "$major" -ge "$required_java" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! java_home="$(find_java_home)"; then
  echo "baton: needs a JDK $required_java or newer, and found none." >&2
  echo "       Looked at JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm, /usr/local/lib/jvm, /opt, ~/.sdkman, ~/.jdks." >&2
  echo "       Install one (for example Temurin $required_java) and set JAVA_HOME to it." >&2
  exit 127
fi
export JAVA_HOME="$java_home"
