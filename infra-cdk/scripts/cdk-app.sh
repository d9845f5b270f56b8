#!/bin/sh
# The CDK app command (cdk.json). Runs the compiled app on the classpath Maven wrote to target/cdk-classpath.txt,
# building it first unless the caller (the Maven build itself) already has: SENDSAR_CDK_SKIP_BUILD=1.
set -eu
cd "$(dirname "$0")/.."
if [ "${SENDSAR_CDK_SKIP_BUILD:-0}" != "1" ] || [ ! -f target/cdk-classpath.txt ]; then
  # -am builds sendsar-shared too, so a fresh clone needs nothing installed in ~/.m2.
  ../mvnw -q -B -f ../pom.xml -pl infra-cdk -am package -DskipTests -Dcdk.synth.skip=true >&2
fi
exec java -cp "target/classes:$(cat target/cdk-classpath.txt)" dev.sendsar.infra.SendsarApp
