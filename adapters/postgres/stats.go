package postgres

import (
	"context"
	"sync/atomic"
)

// Until a table has been analyzed the planner guesses that `tenant = $1 AND
// kind = $2` matches one row, and so reads every document of a kind through
// whichever (tenant, kind, …) index is smallest to find a few ids: a lookup
// of 1,000 documents took 350 ms at 20,000 rows instead of 2 ms. GetMany now
// probes each id whatever the statistics (see getManySQL); reads by key, ref
// or status still plan from them.
// Autovacuum analyzes only after its first nap (a minute), so a store that
// has bulk-written documents into a never-analyzed table analyzes it once
// itself, after the commit.
type stats struct {
	checked atomic.Bool // documents has statistics, or this store gave them
}

// afterBulk analyzes documents once if nobody ever did. Errors are ignored:
// statistics only make plans better, and autovacuum will catch up.
func (st *stats) afterBulk(ctx context.Context, s *Store) {
	if st.checked.Swap(true) {
		return
	}
	var never bool
	err := s.pool.QueryRow(ctx, `SELECT last_analyze IS NULL AND last_autoanalyze IS NULL
		FROM pg_stat_user_tables WHERE relid = 'documents'::regclass`).Scan(&never)
	if err == nil && never {
		_, _ = s.pool.Exec(ctx, `ANALYZE documents`)
	}
}
