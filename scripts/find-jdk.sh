# Sourced by ./baton and ./test: sets JAVA_HOME to a JDK 25 or newer, or explains what is missing.
# Cheap on every call: a JDK's version is read from its release file (no JVM is started), and the JDK
# found is remembered in target/java-home, keyed on the folders looked at, re-checked by its release file.
required_java=25

release_major() { # prints the major version in the release file of the JDK at $1, or nothing
  local line
  [ -r "$1/release" ] || return 0
  while IFS= read -r line; do
    case "$line" in
      JAVA_VERSION=*) line="${line#JAVA_VERSION=}"; line="${line//\"/}"; echo "${line%%[.+-]*}"; return 0 ;;
    esac
  done < "$1/release"
}

java_major() { # prints the major version of the JDK at $1: from its release file, else from running its java
  local major
  major="$(release_major "$1")"
  if [ -z "$major" ]; then
    major="$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
  fi
  echo "$major"
}

is_jdk() { # whether $1 is a JDK of the required version or newer
  local major
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major="$(java_major "$1")"
  [ -n "$major" ] && [ "$major" -ge "$required_java" ]
}

find_java_home() {
  local candidate
  for candidate in "$@"; do
    if is_jdk "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

jdk_candidates=("${JAVA_HOME:-}" /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* \
                "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*)
jdk_key="${jdk_candidates[*]}"
jdk_cache="${BATON_JDK_CACHE:-$(dirname "${BASH_SOURCE[0]}")/../target/java-home}"
java_home=""
if [ -r "$jdk_cache" ]; then
  { IFS= read -r cached_key && IFS= read -r cached_home; } < "$jdk_cache" || true
  if [ "${cached_key:-}" = "$jdk_key" ] && is_jdk "${cached_home:-}"; then
    java_home="$cached_home"
  fi
fi
if [ -z "$java_home" ]; then
  if ! java_home="$(find_java_home "${jdk_candidates[@]}")"; then
    echo "baton: needs a JDK $required_java or newer, and found none." >&2
    echo "       Looked at JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm, /usr/local/lib/jvm, /opt, ~/.sdkman, ~/.jdks." >&2
    echo "       Install one (for example Temurin $required_java) and set JAVA_HOME to it." >&2
    exit 127
  fi
  { mkdir -p "$(dirname "$jdk_cache")" && printf '%s\n%s\n' "$jdk_key" "$java_home" > "$jdk_cache"; } 2>/dev/null || true
fi
export JAVA_HOME="$java_home"
unset jdk_candidates jdk_key jdk_cache java_home cached_key cached_home
