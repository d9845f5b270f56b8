#!/usr/bin/env bash
# One command: builds the SDK, starts a fresh in-memory local stack and the demo on http://localhost:${PORT:-3000}.
# With SENDSAR_API_URL and SENDSAR_API_KEY already set (e.g. from bin/sendsar-local's local.env), uses that stack.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
(cd "$root/sdk/javascript" && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run -s build)
if [ -n "${SENDSAR_API_URL:-}" ] && [ -n "${SENDSAR_API_KEY:-}" ]; then
  exec node "$here/server.mjs"
fi
cd "$root"
./mvnw -q -B -DskipTests -pl sdk/javascript -am install
./mvnw -q -B -pl sdk/javascript dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "$(cat sdk/javascript/target/classpath.txt)" dev.sendsar.local.WithLocalStack node "$here/server.mjs"
