//go:build linux || darwin

package pospace

import "syscall"

// diskFree returns the bytes available to an unprivileged user in the file system of dir and
// that file system's device number.
func diskFree(dir string) (free, dev uint64, ok bool) {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		return 0, 0, false
	}
	var st syscall.Stat_t
	if err := syscall.Stat(dir, &st); err != nil {
		return 0, 0, false
	}
	return uint64(fs.Bavail) * uint64(fs.Bsize), uint64(st.Dev), true //nolint:unconvert // field types differ by OS
}
