package pospace

import (
	"os"
	"syscall"
)

// punchHole frees the disk blocks of [off, off+n) of f (keeping its size) and reports whether the
// file system did it.
func punchHole(f *os.File, off, n int64) bool {
	const punchHole, keepSize = 0x02, 0x01 // FALLOC_FL_PUNCH_HOLE, FALLOC_FL_KEEP_SIZE
	return syscall.Fallocate(int(f.Fd()), punchHole|keepSize, off, n) == nil
}

// punchSupported says whether punchHole can work on this system.
const punchSupported = true
