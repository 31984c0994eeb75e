#!/usr/bin/env bash
# Tests deploy/nginx-vledger.conf with Debian's nginx in front of a running `vledger serve`:
#   bash deploy/check-nginx.sh UPSTREAM_PORT
# Rewrites only what a deployment replaces (ports, certificate and log paths), checks the result
# with `nginx -t`, starts nginx on loopback as an unprivileged user-level process, and sends real
# requests through it: TLS to /healthz reaches vledger, plain HTTP is redirected to HTTPS,
# a body over 50 MB is refused by the proxy. Stops nginx on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

upstream_port=${1:?usage: check-nginx.sh UPSTREAM_PORT}
command -v nginx >/dev/null || { echo "check-nginx: nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }

dir=$(mktemp -d /tmp/vledger-nginx.XXXXXX)
stop() {
    local status=$?
    [[ -f $dir/nginx.pid ]] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
    rm -rf "$dir"
    exit "$status"
}
trap stop EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tls_port=$(free_port)
http_port=$(free_port)

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=vledger.example.cn" \
    -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" 2>/dev/null

sed -e "s|127.0.0.1:8080|127.0.0.1:$upstream_port|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$tls_port ssl http2;|" \
    -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e '/listen \[::\]/d' \
    -e "s|/etc/ssl/vledger/|$dir/|" \
    -e "s|/var/log/nginx/vledger.access.log|$dir/access.log|" \
    -e "s|return 301 https://\$host\$request_uri;|return 301 https://\$host:$tls_port\$request_uri;|" \
    deploy/nginx-vledger.conf >"$dir/vledger.conf"

user_line=
[[ $EUID -eq 0 ]] && user_line="user nobody nogroup;"
cat >"$dir/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 64; }
http {
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    include $dir/vledger.conf;
}
CONF
chmod 755 "$dir"

nginx -t -p "$dir" -c "$dir/nginx.conf" 2>&1 | sed 's/^/check-nginx: /' >&2
nginx -p "$dir" -c "$dir/nginx.conf"
for _ in $(seq 1 100); do [[ -s $dir/nginx.pid ]] && break; sleep 0.1; done

fail() { echo "check-nginx: FAIL: $*" >&2; exit 1; }

health=$(curl -sk --max-time 20 -o "$dir/health.body" -w '%{http_code}' "https://127.0.0.1:$tls_port/healthz")
[[ $health == 200 ]] || fail "GET /healthz through TLS answered $health: $(head -c 300 "$dir/health.body")"

redirect=$(curl -s --max-time 20 -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/api/v1/openapi.json")
[[ $redirect == "301 https://127.0.0.1:$tls_port/api/v1/openapi.json" ]] || fail "plain HTTP answered '$redirect', not a redirect to HTTPS"

hsts=$(curl -skI --max-time 20 "https://127.0.0.1:$tls_port/healthz" | tr -d '\r' | grep -i '^strict-transport-security:' || true)
[[ -n $hsts ]] || fail "no Strict-Transport-Security header through the proxy"

head -c $((51 * 1024 * 1024)) /dev/zero >"$dir/big"
big=$(curl -sk --max-time 60 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @"$dir/big" "https://127.0.0.1:$tls_port/api/v1/volunteers")
[[ $big == 413 ]] || fail "a 51 MB body answered $big, not 413 from the proxy"

if grep -q 'code=' "$dir/access.log"; then fail "the access log kept a query string"; fi
echo "check-nginx: ok (nginx -t, TLS to /healthz, HTTP→HTTPS redirect, HSTS, 51 MB refused, no query strings logged)" >&2
