#!/usr/bin/env bash
# tests/server/store.sh against PostgreSQL: a real server from Debian's
# packages (initdb and pg_ctl as the postgres user, in a temporary
# directory, on 127.0.0.1 in the test's own namespace, stopped by its PID),
# with store = postgresql://postgres@127.0.0.1:5432/postgres; pinholed
# creates its table, and uploads, reads, limits and the listing behave as
# with SQLite, under the filter.
exec env STORE_PG=1 "$(dirname "$0")/store.sh"
