#!/bin/sh
# Runs the OpenAI Agents SDK's own session tests with OpenAIAgentsSession standing in for the
# SDK's MemorySession (see README.md). The SDK's test files are copied into a scratch directory
# outside this repository, never into it.
#
#   packages/adapter-agents/sdk-tests/run.sh <openai-agents-js checkout or git dir> [scratch dir]
set -eu
sdk=$1
scratch=${2:-/tmp/sdk-tests}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
tests="packages/agents-core/test/memorySession.test.ts packages/agents-openai/test/openaiResponsesCompactionSession.test.ts"

mkdir -p "$scratch"
for path in $tests; do
  if [ -f "$sdk/$path" ]; then cp "$sdk/$path" "$scratch/"; else git -C "$sdk" show "HEAD:$path" > "$scratch/$(basename "$path")"; fi
done
cp "$here"/*.mjs "$scratch/"
printf '{ "type": "module", "private": true }\n' > "$scratch/package.json"
ln -sfn "$root/node_modules" "$scratch/node_modules"
cd "$scratch"
echo "SDK tests from commit $(git -C "$sdk" rev-parse HEAD 2>/dev/null || echo unknown)"
echo "== baseline: the SDK's own MemorySession"
SDK_SESSION=sdk npx vitest run --config vitest.config.mjs || true
echo "== OpenAIAgentsSession over InMemorySessionStore as MemorySession"
SDK_SESSION=ours npx vitest run --config vitest.config.mjs
