# Sourced by ./sandbox.sh and bench/run, which start java themselves: makes JAVA_HOME point at a JDK >= 21.
# (Maven does not need it: the build picks its JDK with maven-toolchains-plugin.)
# Keeps a JAVA_HOME that already qualifies; else tries `java` on the PATH; else the newest JDK >= 21
# under /usr/lib/jvm, /usr/java or /opt/java; else stops with a message saying what to install.

__jdk_major() { # prints the major version of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

__use_jdk21() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")" 2>/dev/null)"; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ]; then
      major=$(__jdk_major "$candidate/bin/java")
      if [ -n "$major" ] && [ "$major" -ge 21 ]; then export JAVA_HOME="$candidate"; return 0; fi
    fi
  done
  local best="" best_major=0
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(__jdk_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  if [ -n "$best" ]; then export JAVA_HOME="$best"; return 0; fi
  echo "ecs-bluegreen needs a JDK 21 or newer and found none (JAVA_HOME, java on PATH, /usr/lib/jvm)." >&2
  echo "Install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
  return 1
}

__use_jdk21 || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
