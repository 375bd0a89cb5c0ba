#!/usr/bin/env bash
# Several app processes behind nginx, for a meeting where everyone opens the board at once (one Streamlit
# process uses one core). `make serve PROCS=2 ADDRESS=127.0.0.1 PORT=8501`. Each process reads the same data
# folder and the same office store. Sticky routing: nginx sets a cookie on the first response and hashes it,
# so a browser's page, websocket, uploads and downloads all reach the process that holds its session.
# docs/deploy.md explains it, and how to spread it over several machines.
set -eu
PROCS=${PROCS:-2}
ADDRESS=${ADDRESS:-127.0.0.1}
PORT=${PORT:-8501}
FIRST=${FIRST_BACKEND:-8601}
BIN=${BIN:-.venv/bin}
TLS_CERT=${TLS_CERT:-}
TLS_KEY=${TLS_KEY:-}
if [ -n "$TLS_CERT$TLS_KEY" ]; then  # HTTPS with the office's certificate: both files, readable, or nothing starts
    for f in "$TLS_CERT" "$TLS_KEY"; do
        [ -n "$f" ] && [ -r "$f" ] || { echo "make serve: TLS_CERT and TLS_KEY must both name readable files (证书与私钥文件)" >&2; exit 2; }
    done
    LISTEN="listen $ADDRESS:$PORT ssl;\n        ssl_certificate $(realpath "$TLS_CERT");\n        ssl_certificate_key $(realpath "$TLS_KEY");\n        ssl_protocols TLSv1.2 TLSv1.3;"
    SCHEME=https
else
    LISTEN="listen $ADDRESS:$PORT;"
    SCHEME=http
fi
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || ./scripts/sysdeps.sh serve
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
RUN=$(mktemp -d /tmp/riverboard-serve.XXXXXX)
chmod 755 "$RUN"
mkdir -p "$RUN/temp" && chmod 777 "$RUN/temp"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; "$NGINX" -p "$RUN" -c nginx.conf -s quit 2>/dev/null || true; rm -rf "$RUN"; }
trap cleanup EXIT INT TERM
servers=""
for i in $(seq 0 $((PROCS - 1))); do
    port=$((FIRST + i))
    # the backends listen on loopback only; nginx is the one door
    # the backends listen on loopback, but the office reaches them at $ADDRESS: "local" (the demo's guest) is
    # decided by where nginx listens, never by the Host header a browser sends (RIVERBOARD_PUBLIC_ADDRESS)
    RIVERBOARD_PUBLIC_ADDRESS="$ADDRESS" "$BIN/streamlit" run server.py --server.port "$port" --server.address 127.0.0.1 \
        --server.headless true > "$RUN/app-$port.log" 2>&1 &
    pids+=($!)
    servers="$servers        server 127.0.0.1:$port;\n"
done
printf "pid %s/nginx.pid;\nerror_log %s/error.log;\nworker_processes 1;\nevents { worker_connections 1024; }\nhttp {\n\
    access_log off;\n    client_max_body_size 500m;\n    client_body_temp_path %s/temp/body;\n    proxy_temp_path %s/temp/proxy;\n\
    fastcgi_temp_path %s/temp/fcgi;\n    uwsgi_temp_path %s/temp/uwsgi;\n    scgi_temp_path %s/temp/scgi;\n\
    map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }\n\
    map \$cookie_riverboard_route \$route { '' \$request_id; default \$cookie_riverboard_route; }\n\
    upstream riverboard {\n        hash \$route consistent;\n$servers    }\n\
    server {\n        %b\n        location = /_stcore/metrics { return 404; }\n        location / {\n            proxy_pass http://riverboard;\n\
            proxy_http_version 1.1;\n            proxy_set_header Upgrade \$http_upgrade;\n\
            proxy_set_header Connection \$connection_upgrade;\n            proxy_set_header Host \$host:\$server_port;\n\
            proxy_set_header X-Forwarded-For \$remote_addr;\n\
            proxy_set_header X-Forwarded-Proto \$scheme;\n\
            proxy_read_timeout 86400;\n\
            add_header Set-Cookie \"riverboard_route=\$route; Path=/; HttpOnly; SameSite=Lax\" always;\n        }\n    }\n}\n" \
    "$RUN" "$RUN" "$RUN" "$RUN" "$RUN" "$RUN" "$RUN" "$LISTEN" > "$RUN/nginx.conf"
for i in $(seq 0 $((PROCS - 1))); do  # wait until every backend answers
    for _ in $(seq 1 120); do
        curl -sf "http://127.0.0.1:$((FIRST + i))/_stcore/health" >/dev/null 2>&1 && break
        sleep 0.5
    done
done
echo "RiverBoard: $PROCS processes behind nginx on $SCHEME://$ADDRESS:$PORT (logs in $RUN)"
"$NGINX" -p "$RUN" -c nginx.conf -g 'daemon off;' &
pids+=($!)
wait
