#!/usr/bin/env bash
# Sendsar benchmark: builds the bench and what it depends on, then runs it against an in-memory local stack.
# Everything runs on loopback and stops by itself. Arguments go to dev.sendsar.bench.Main, e.g.
#   bench/run.sh                       # 1,000 messages after 200 warm-up, 5 cold starts per function
#   bench/run.sh --messages 5000 --cold-runs 9 --cold-jvm-options "-XX:TieredStopAtLevel=1"
# The report is printed and written to bench/target/bench-report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests -pl bench -am install
./mvnw -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
# What a Lambda artifact of the functions holds: their jar and its runtime dependencies, no emulators.
./mvnw -q -B -pl functions dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$PWD/bench/target/function-classpath.txt"
functions_jar="$(ls functions/target/sendsar-functions-*.jar | grep -v -e '-tests\.jar$' -e '-sources\.jar$' | head -n 1)"
export DDB_LOCAL_TELEMETRY=0
exec java -Dsendsar.bench.functionClasspath="$PWD/$functions_jar:$(cat bench/target/function-classpath.txt)" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.sendsar.bench.Main \
  --report bench/target/bench-report.txt "$@"
