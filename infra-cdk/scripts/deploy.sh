#!/bin/sh
# Builds the Lambda code package and deploys the stack. Extra arguments go to `cdk deploy` (e.g. -c memoryMb=1536).
# On the first deploy of a stack it generates the session-token signing keys and passes them once as the NoEcho
# parameter JwtSigningKeys, with their public half as JwtPublicKeys; later deploys keep the previous values.
set -eu
cd "$(dirname "$0")/.."
STACK="${SENDSAR_STACK:-Sendsar}"
../mvnw -q -B -f ../pom.xml -pl functions -am -Plambda package -DskipTests
PARAMS=""
if ! aws cloudformation describe-stacks --stack-name "$STACK" >/dev/null 2>&1; then
  KEYS="$(node scripts/new-jwt-keys.mjs)"
  PARAMS="--parameters JwtSigningKeys=$KEYS --parameters JwtPublicKeys=$(printf %s "$KEYS" | node scripts/new-jwt-keys.mjs --public)"
elif [ -z "$(aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Parameters[?ParameterKey=='JwtPublicKeys'].ParameterValue" --output text)" ]; then
  # A stack from before functions verified with public keys only: derive them once from the signing-key secret.
  ARN="$(aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='JwtKeysSecretArn'].OutputValue" --output text)"
  PARAMS="--parameters JwtPublicKeys=$(aws secretsmanager get-secret-value --secret-id "$ARN" --query SecretString \
    --output text | node scripts/new-jwt-keys.mjs --public)"
fi
# shellcheck disable=SC2086 # PARAMS holds --parameters pairs whose JWK JSON has no spaces
exec npx --no-install cdk deploy "$STACK" -c stackName="$STACK" -c requireLambdaJar=true $PARAMS --require-approval broadening "$@"
