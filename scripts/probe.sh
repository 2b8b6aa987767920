#!/usr/bin/env bash
# probe.sh tcp HOST PORT: exit 0 when something accepts TCP connections there.
set -u
[ "${1:-}" = tcp ] || { echo "usage: probe.sh tcp HOST PORT" >&2; exit 2; }
timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null
