#!/usr/bin/env bash
# The whole blue/green release on this machine, no AWS account needed: a local AWS emulator (moto server) as the
# control plane, blue and green demo apps behind local listeners routed as the emulator's load balancer says, and
# the real Lambda handlers (hooks.jar, swap-function.jar, controller.jar) run in their own JVMs with the real event JSON.
#
#   ./sandbox.sh                    # demo: release green (hooks, approval, swap, hook), then roll back
#   ./sandbox.sh --broken-green     # green answers 500: the first hook stops the release, live stays blue
#   ./sandbox.sh --slow-green --yes # green is too slow; --yes approves without asking
#   ./sandbox.sh --green-fails-live # green fails only live traffic: AfterAllowTraffic fails, traffic rolls back
#   ./sandbox.sh --ecs-linear --green-error-rate 5  # Amazon ECS shifts 33/66/100 % itself; green fails 5 % of the API
#   ./sandbox.sh --canary --yes     # the swap function sends 10 % to green, judges it, then swaps (--operator abort)
#   ./sandbox.sh --external --yes   # the external controller: green's task set deployed and checked, promoted, blue cleaned up
#   ./sandbox.sh --external --canary --yes  # the same, the promote a canary: 10 % by weight, baked and judged, then all
#   ./sandbox.sh up                 # start everything, print the URLs, stop on Enter
#   ./sandbox.sh --green-url http://localhost:3000   # your own app as green (--blue-url too)
#   ./sandbox.sh --help
#
# Needs a JDK >= 21 and Python 3 with moto (`pip install 'moto[server]'`; used from MOTO_ENDPOINT, from the PATH,
# or installed into ~/.cache/ecs-bluegreen/moto-venv). Builds what it needs on the first run (./mvnw package; Maven
# comes through the wrapper). Stops every process it started and leaves no state behind. Docs: docs/sandbox.md
set -euo pipefail
cd "$(dirname "$0")"

case "${1:-}" in
  -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

. scripts/use-jdk21.sh

stamp=sandbox/target/sandbox.classpath
needs_build() {
  local artefact
  for artefact in "$stamp" sandbox/target/classes swap-function/target/swap-function.jar hooks/target/hooks.jar \
                  controller/target/controller.jar; do
    [ -e "$artefact" ] || return 0
  done
  # any source or POM changed since the last build
  [ -n "$(find pom.xml core analysis test-support swap-function hooks controller sandbox -path '*/target' -prune -o -type f \
            \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit)" ]
}
if needs_build; then
  echo "building the functions and the sandbox (the first run downloads Maven and the dependencies)..."
  # the start-up cache packages (bench/target/lambda) serve the benchmark and Lambda, not the sandbox
  ./mvnw -q -B -ntp -DskipTests -Dstartup-cache.skip=true package
  touch "$stamp"
fi

exec "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Decsbluegreen.root="$PWD" \
  -cp "sandbox/target/classes:$(cat "$stamp")" dev.ecsbluegreen.sandbox.Sandbox "$@"
