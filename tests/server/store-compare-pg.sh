#!/usr/bin/env bash
# tests/server/store-compare.sh against PostgreSQL (as store-pg.sh runs
# store.sh): the comparison found and stored at upload, the same sources,
# ids, cost and rate.
exec env STORE_PG=1 "$(dirname "$0")/store-compare.sh"
