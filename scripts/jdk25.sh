# Sourced by ./build and ./lectern: finds a JDK 25 and exports JAVA_HOME, or stops with one clear line.
# Order: $JAVA_HOME if it is a JDK 25, then the usual install places, then `java` on the PATH.
lectern_java_major() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}
lectern_find_jdk25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* \
                   /usr/lib/jvm/jdk-25* /opt/java/openjdk /opt/jdk-25* \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] || continue
    if [ "$(lectern_java_major "$candidate")" = "25" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if ! LECTERN_JDK=$(lectern_find_jdk25); then
  echo "lectern: no JDK 25 found (looked at \$JAVA_HOME, /usr/lib/jvm/*25*, /opt and java on the PATH); install Temurin 25 or set JAVA_HOME to a JDK 25." >&2
  exit 1
fi
export JAVA_HOME="$LECTERN_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
