# bench/figures.sh - a benchmark's figures and targets.  Sourced by every
# bench/*.sh.  A benchmark is information, not a test: it ends
#   0   every figure measured, every target met;
#   1   broken: a figure missing or not a number, a run that failed (a
#       crash, a report that is not one): the figures mean nothing;
#   10  every figure measured, a target missed (scripts/test says MISS).
bench_missed=0

# bench_num NAME VALUE: VALUE, a figure called NAME, is a number (an
# integer or a decimal, signed); anything else (empty, null, "-", text)
# ends the benchmark as broken.
bench_num() {
	if ! [[ $2 =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; then
		echo "BROKEN: the figure '$1' is '$2', not a number" >&2
		exit 1
	fi
}

# bench_target LABEL VALUE OP TARGET: compares a figure with its target
# (OP one of < <= > >=), both checked as numbers first; prints
# "LABEL: VALUE (target OP TARGET) met" or "... NOT met", and counts a
# miss.  Returns 0 either way.
bench_target() {
	local ok
	bench_num "$1" "$2"
	bench_num "$1 (target)" "$4"
	ok=$(awk -v v="$2" -v t="$4" -v op="$3" 'BEGIN {
		if (op == "<") r = v < t; else if (op == "<=") r = v <= t;
		else if (op == ">") r = v > t; else if (op == ">=") r = v >= t;
		else r = -1
		print r }')
	case $ok in
	1) echo "target: $1: $2 (target $3 $4) met" ;;
	0) echo "target: $1: $2 (target $3 $4) NOT met"
	   bench_missed=$((bench_missed + 1)) ;;
	*) echo "BROKEN: bench_target: '$3' is not a comparison" >&2; exit 1 ;;
	esac
}

# bench_finish: the benchmark's status, as above.  In a benchmark built on
# the lab (tests/lab/lib.sh), an expectation that failed (a pinhole that
# crashed or wrote no report) makes it broken first, with lab_end's
# account of why.
bench_finish() {
	if [ -n "${LAB_NAME:-}" ]; then
		[ "$lab_failed" -eq 0 ] || lab_end
		LAB_ENDED=1
	fi
	if [ "$bench_missed" -gt 0 ]; then
		echo "# $bench_missed target(s) missed"
		exit 10
	fi
	exit 0
}
