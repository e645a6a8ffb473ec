#!/usr/bin/env bash
# share-store with a PostgreSQL report store (a server from Debian's
# packages in the server's namespace): the same uploads, links, shows and
# refusals as with SQLite.
exec env LAB_STORE=postgresql "$(dirname "$0")/share-store.sh"
