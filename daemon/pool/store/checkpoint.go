package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// checkpointEvery is the least time between two background checkpoints: each syncs the WAL and
// the database file, and copies pages that later commits may dirty again, so back-to-back
// checkpoints after every commit cost CPU for nothing; at this pace the writer's own checkpoint
// still finds only a few megabytes left to copy.
const checkpointEvery = 25 * time.Millisecond

// checkpointer copies SQLite's WAL back into the database file on its own connection, off the
// writer's path. The writer's own automatic checkpoint (after the commit that takes the WAL past
// wal_autocheckpoint pages) copied the whole WAL and waited for two fsyncs while every partial
// in flight waited for the writer: the pool benchmark's p99 of ~160 ms was those stalls. With the
// checkpointer running a PASSIVE checkpoint after commits (it never blocks the writer, which keeps
// appending to the WAL meanwhile), the writer's automatic checkpoint only finds the newest frames
// left to copy, and it remains the one that lets the WAL restart from its beginning. A
// checkpoint moves committed data between files: a commit is durable before it, whichever
// connection runs it.
type checkpointer struct {
	db   *sql.DB
	kick chan struct{} // a commit happened (buffered, one pending at most)
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

func newCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

// committed tells the checkpointer that the WAL grew; it never blocks.
func (c *checkpointer) committed() {
	if c == nil {
		return
	}
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		case <-c.kick:
		}
		// An error (SQLITE_BUSY while another checkpoint runs) leaves the frames for the next
		// checkpoint: nothing is lost, the WAL is only longer meanwhile.
		var busy, log, done int64
		_ = c.db.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &done)
		select {
		case <-c.stop:
			return
		case <-time.After(checkpointEvery):
		}
	}
}

// close stops the checkpointer and closes its connection.
func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	c.once.Do(func() { close(c.stop) })
	<-c.done
	return c.db.Close()
}
