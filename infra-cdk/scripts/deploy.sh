#!/bin/sh
# Builds the Lambda code package and deploys the stack. Extra arguments go to `cdk deploy` (e.g. -c memoryMb=1536).
# On the first deploy of a stack it generates the session-token signing keys and passes them once as a NoEcho
# parameter; later deploys keep the previous value.
set -eu
cd "$(dirname "$0")/.."
STACK="${SENDSAR_STACK:-Sendsar}"
../mvnw -q -B -f ../pom.xml -pl functions -am -Plambda package -DskipTests
PARAMS=""
if ! aws cloudformation describe-stacks --stack-name "$STACK" >/dev/null 2>&1; then
  PARAMS="--parameters JwtSigningKeys=$(node scripts/new-jwt-keys.mjs)"
fi
# shellcheck disable=SC2086 # PARAMS is empty or one word (the JWK JSON has no spaces)
exec npx --no-install cdk deploy "$STACK" -c stackName="$STACK" -c requireLambdaJar=true $PARAMS --require-approval broadening "$@"
