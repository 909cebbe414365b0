#!/usr/bin/env bash
# Fuzz the REST API with schemathesis against a real server (gunicorn) on the demo data.
#
# Needs DATABASE_URL (a database of its own: it is migrated and filled with the demo) and CELERY_BROKER_URL
# (may be empty: tasks then run in-process). Every generated request must answer something other than 5xx, and
# every answer must match the schema (errors included). Exits non-zero on any failure.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/quota_fuzz CELERY_BROKER_URL=redis://127.0.0.1:6379/14 \
#     scripts/fuzz_api.sh
#
# The coverage phase (every boundary of every parameter) takes far longer than CI has on 2 cores: by default the
# examples and the fuzzing phases run, 50 generated requests an operation. FUZZ_PHASES overrides.
# FUZZ_PORT (8011), FUZZ_MAX_EXAMPLES (50) and FUZZ_ARGS (extra schemathesis options, e.g. "--seed 1") tune it.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL must name the database to fuzz on}"
export DATABASE_URL
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-}"
port="${FUZZ_PORT:-8011}"
base="http://127.0.0.1:${port}"

# Production-like: no debug pages, real security settings (but plain HTTP on the loopback), no throttling in the way.
export DEBUG=false
export SECRET_KEY="fuzz-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false
export API_THROTTLE_USER=100000/min
export API_THROTTLE_ANON=100000/min

.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py setup_demo >/dev/null
key="$(.venv/bin/python manage.py issue_token city --days 1 --client schemathesis 2>/dev/null)"

run_dir="$(mktemp -d)"
pidfile="${run_dir}/gunicorn.pid"
stop_server() {
  if [ -s "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$run_dir"
}
trap stop_server EXIT
trap 'exit 143' INT TERM

.venv/bin/gunicorn config.wsgi -b "127.0.0.1:${port}" -w 2 --daemon --pid "$pidfile" \
  --error-logfile "${run_dir}/gunicorn.log" --capture-output
for _ in $(seq 1 60); do
  curl -fsS "${base}/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
if ! curl -fsS "${base}/healthz" >/dev/null; then
  echo "the server did not come up on ${base}:" >&2
  cat "${run_dir}/gunicorn.log" >&2 || true
  exit 1
fi

status=0
# shellcheck disable=SC2086  # FUZZ_ARGS is a list of options
# From the run directory: schemathesis keeps its crash cache in ./.schemathesis, which is no part of the project.
(cd "$run_dir" && "${OLDPWD}/.venv/bin/schemathesis" run "${base}/api/schema/" \
  -H "Authorization: Token ${key}" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "${FUZZ_MAX_EXAMPLES:-50}" --phases "${FUZZ_PHASES:-examples,fuzzing}" \
  --generation-database none --no-color ${FUZZ_ARGS:-}) || status=$?
if [ "$status" -ne 0 ]; then
  echo "== server errors logged during fuzzing:" >&2
  grep -A30 -E "ERROR|Traceback" "${run_dir}/gunicorn.log" | tail -200 >&2 || true
fi
exit "$status"
