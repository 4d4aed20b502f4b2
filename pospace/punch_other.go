//go:build !linux

package pospace

import "os"

// punchHole is not available here: temporary files keep their blocks until they are closed.
func punchHole(*os.File, int64, int64) bool { return false }

// punchSupported says whether punchHole can work on this system.
const punchSupported = false
