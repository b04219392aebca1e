#!/usr/bin/env bash
# The test command behind `npm test`: typecheck, then every test file (listed by a glob: on
# Node 20 a directory argument would find no .ts files).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s globstar nullglob
npx tsc --noEmit
files=(test/**/*.test.ts)
# A file that runs longer than this fails instead of hanging the run: the runner stops it (SIGTERM),
# and test/helpers/processes.ts then kills every process the file spawned. The slowest files took
# about 2 minutes (test/bench/smoke.test.ts 122 s, test/cli/lifecycle.test.ts 103 s, beside other
# test runs on 2 cores); the longest suite timeout a file declares is 6 minutes. Ten minutes is
# generous for both on a busy machine.
exec node --import tsx --test --test-concurrency=2 --test-timeout=600000 "${files[@]}"
