# tests/postgres.sh - a PostgreSQL server from Debian's packages for the
# tests of the report store; sourced by tests/server/store.sh and the lab.
#
# pg_start DIR NETNS: initdb in DIR/data as the postgres user (trust
# authentication: only that namespace can reach it), then the server in
# network namespace NETNS on 127.0.0.1:5432, its socket in DIR.  Prints
# the postmaster's PID, which the caller ends; exits the test on failure.
pg_start() {
	local bin dir=$1 ns=$2
	bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	mkdir -p "$dir" && chown postgres: "$dir"
	runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres \
		> "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	ip netns exec "$ns" runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -w -t 30 \
		-l "$dir/log" -o "-c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=$dir" \
		start > /dev/null || { cat "$dir/log" >&2; exit 1; }
	head -1 "$dir/data/postmaster.pid"
}
PG_URI=postgresql://postgres@127.0.0.1:5432/postgres
