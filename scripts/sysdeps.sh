#!/usr/bin/env bash
# System packages the tests need: Chromium (browser tests, chart export), Noto CJK (Chinese text),
# LibreOffice and poppler (Word and PowerPoint files rendered to pages), PostgreSQL (the office store's tests).
# Installs them with apt-get when missing and we are root on Debian; otherwise says what is missing.
set -eu
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
# For the tests (`sysdeps.sh test`): LibreOffice and poppler render the Word and PowerPoint files to pages
if [ "${1:-}" = "serve" ]; then  # `make serve`: several app processes behind nginx
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
fi
if [ "${1:-}" = "test" ]; then
    command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui libreoffice-impress-nogui)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    # the office store's tests run on a throwaway PostgreSQL of their own, as well as on SQLite
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    # `make serve` (several app processes behind nginx) is tested too
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    # single sign-on is tested against a real OpenID Connect provider (npm's oidc-provider) run by Node.js
    command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "missing system packages: ${missing[*]} (install them, e.g. sudo apt-get install ${missing[*]})" >&2
    exit 1
fi
