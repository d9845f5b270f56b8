#!/bin/sh
# Deploys the same CDK app as AWS (infra-cdk/) into a running LocalStack (docker compose up -d, in this directory).
# Uses the CDK CLI pinned in infra-cdk/package.json, pointed at LocalStack through the SDK's endpoint variables.
# NOT RUN where it was written (no Docker there): see README.md for what is and is not verified.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
STACK="${SENDSAR_STACK:-Sendsar}"

export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="$AWS_REGION"
export CDK_DEFAULT_ACCOUNT=000000000000
export CDK_DEFAULT_REGION="$AWS_REGION"
export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost.localstack.cloud:4566}"
# Asset uploads go to S3; the virtual-host name resolves to 127.0.0.1 like the one above.
export AWS_ENDPOINT_URL_S3="${AWS_ENDPOINT_URL_S3:-http://s3.localhost.localstack.cloud:4566}"

curl -fsS "$AWS_ENDPOINT_URL/_localstack/health" >/dev/null || {
  echo "LocalStack is not answering at $AWS_ENDPOINT_URL: run 'docker compose up -d' in $HERE" >&2; exit 1; }

cd "$ROOT"
./mvnw -q -B -pl functions -am -Plambda package -DskipTests

cd "$ROOT/infra-cdk"
npm ci --no-audit --no-fund
npx --no-install cdk bootstrap "aws://$CDK_DEFAULT_ACCOUNT/$AWS_REGION"
PARAMS=""
if ! aws --endpoint-url "$AWS_ENDPOINT_URL" cloudformation describe-stacks --stack-name "$STACK" >/dev/null 2>&1; then
  KEYS="$(node scripts/new-jwt-keys.mjs)"
  PARAMS="--parameters JwtSigningKeys=$KEYS --parameters JwtPublicKeys=$(printf %s "$KEYS" | node scripts/new-jwt-keys.mjs --public)"
fi
# retainData=false: a LocalStack stack is disposable, and deletion protection would block 'cdk destroy'.
# shellcheck disable=SC2086
npx --no-install cdk deploy "$STACK" -c stackName="$STACK" -c requireLambdaJar=true -c retainData=false \
  --require-approval never --outputs-file "$HERE/.localstack-outputs.json" $PARAMS "$@"
echo "Stack outputs (HttpApiUrl, WebSocketUrl, OperatorKeySecretArn...) written to $HERE/.localstack-outputs.json"
