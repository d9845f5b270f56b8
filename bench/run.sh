#!/usr/bin/env bash
# Sendsar benchmark: builds the bench and the modules it depends on, then runs dev.sendsar.bench.Main against an
# in-memory local stack. Everything runs on loopback and stops by itself (about 4 minutes on 2 cores).
# Arguments go to Main, e.g.
#   bench/run.sh                       # everything: latency, cost, busy room, throughput, big room, push, cold starts
#   bench/run.sh --no-latency --no-cold-start --scale push --push-sends 100   # push latency only
#   bench/run.sh --messages 5000 --cold-runs 9 --cold-jvm-options "-XX:TieredStopAtLevel=1"
#   bench/run.sh --write-preload-lists      # training runs: the class lists the functions preload (then rebuild)
# The report is printed and written to bench/target/bench-report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor build, nothing installed: each module writes its own runtime classpath (sibling modules resolve to
# their freshly built jars), and -Plambda builds the functions' Lambda package, the jar infra-cdk deploys. The
# cold-start children run that package (plus the probe); the floor takes its few jars from the runtime classpath.
./mvnw -q -B -DskipTests -Plambda -pl bench -am package dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile=target/classpath.txt
lambda_package="$(ls "$PWD"/functions/target/sendsar-functions-*-lambda.jar | head -n 1)"
export DDB_LOCAL_TELEMETRY=0
exec java -DSENDSAR_ACCESS_LOG=OFF -Dsendsar.bench.lambdaPackage="$lambda_package" \
  -Dsendsar.bench.functionClasspath="$(cat functions/target/classpath.txt)" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.sendsar.bench.Main \
  --report bench/target/bench-report.txt "$@"
