#!/bin/sh
# `make serve`: the production server on this machine, in the foreground — migrate, collect the static files, then
# gunicorn (gunicorn.conf.py) and the Huey worker together; Ctrl-C stops both. DEBUG stays off.
#
# Settings come from the environment, or from ENV_FILE (shell syntax, KEY=value lines, e.g. a copy of
# deploy/dieuhanh.env.example). SECRET_KEY: from either of them; when neither has one (a first try), a random key
# is generated once into $DIEUHANH_VAR_DIR/secret_key (var/secret_key, readable by its owner only) and reused
# afterwards, so sessions survive a restart. A production machine sets it in /etc/dieuhanh/dieuhanh.env instead
# (docs/deployment.md).
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

if [ -n "${ENV_FILE:-}" ]; then
  set -a; . "$ENV_FILE"; set +a
fi
unset DEBUG
VAR_DIR=${DIEUHANH_VAR_DIR:-var}
if [ -z "${SECRET_KEY:-}" ]; then
  if [ ! -s "$VAR_DIR/secret_key" ]; then
    mkdir -p "$VAR_DIR"
    (umask 077 && "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" > "$VAR_DIR/secret_key")
    echo "serve: generated a new SECRET_KEY into $VAR_DIR/secret_key"
  fi
  SECRET_KEY=$(cat "$VAR_DIR/secret_key")
  export SECRET_KEY
fi
# Listening on this machine only, nobody reaches it but through a proxy on it (which does TLS) or a browser on it:
# no redirect to an HTTPS this process does not speak. Listening wider, the redirect stays on unless told.
case "${HOST:=127.0.0.1}" in
  127.0.0.1|localhost|::1) : "${SECURE_SSL_REDIRECT:=0}" ;;
esac
export HOST PORT="${PORT:-8000}" ${SECURE_SSL_REDIRECT+SECURE_SSL_REDIRECT}

"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput -v 0
echo "serve: http://$HOST:$PORT/ (Ctrl-C stops the web server and the worker); health: http://$HOST:$PORT/healthz"
# Both in the background, so that a signal to this script (Ctrl-C, or a TERM from a supervisor) stops both.
"$PY" manage.py run_huey &
HUEY_PID=$!
"$(dirname "$PY")/gunicorn" -c gunicorn.conf.py &
WEB_PID=$!
trap 'kill -TERM $WEB_PID $HUEY_PID 2>/dev/null' INT TERM
status=0
wait $WEB_PID || status=$?
kill -TERM $WEB_PID $HUEY_PID 2>/dev/null || true
wait 2>/dev/null || true
exit $status
