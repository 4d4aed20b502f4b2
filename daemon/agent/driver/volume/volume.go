// Package volume is the agent's volume driver: a lease of a VOLUME offer becomes a real
// file-backed volume of the booked size (units × the offer's storage_bytes) in the agent's data
// directory. The file is sparse, so it costs disk only as it is written, but the driver refuses a
// volume that the disk could not hold once full (counting what earlier sparse volumes may still
// grow into). Where mkfs.ext4 exists the volume gets an ext4 filesystem with a fresh UUID, so it
// can be loop-mounted or attached to a VM as a disk.
//
// Pause makes the image read-only (mode 0444), Resume writable again (0644), Teardown deletes
// it. Deploy is idempotent: a volume whose record (volume.json, written last and atomically)
// matches is returned as it is; a half-made one is made again.
//
// Deployment data: {"driver":"volume","fs":"ext4"|"none"}; every field is optional.
package volume

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"

	"github.com/guild-network/guild/daemon/agent/driver"
)

// Filesystems a volume can get.
const (
	FSExt4 = "ext4"
	FSNone = "none"
)

const (
	imageName  = "volume.img"
	recordName = "volume.json"
)

// Config configures the volume driver.
type Config struct {
	// Root holds one directory per lease.
	Root string
	// MinFreeBytes is disk kept free beyond every volume's full size.
	MinFreeBytes uint64
	// Mkfs is the mkfs.ext4 program: empty looks it up in PATH, "none" never makes a filesystem.
	Mkfs string
}

// Spec is the volume driver's part of the deployment data.
type Spec struct {
	Driver string `json:"driver,omitempty"`
	// FS is "ext4" (the default where mkfs.ext4 exists) or "none" for a raw image.
	FS string `json:"fs,omitempty"`
}

// Record is what the driver keeps about a deployed volume, and what its DEPLOYED report says.
type Record struct {
	Path string `json:"path"`
	Size uint64 `json:"size"`
	FS   string `json:"fs"`
	UUID string `json:"uuid"`
}

// Driver creates file-backed volumes.
type Driver struct {
	cfg  Config
	mkfs string
	mu   sync.Mutex // serialises capacity checks with creation
}

var _ driver.Driver = (*Driver)(nil)

// New returns a volume driver rooted at cfg.Root (created if missing).
func New(cfg Config) (*Driver, error) {
	if cfg.Root == "" {
		return nil, errors.New("volume driver: empty root")
	}
	if err := os.MkdirAll(cfg.Root, 0o750); err != nil {
		return nil, fmt.Errorf("volume driver: %w", err)
	}
	d := &Driver{cfg: cfg}
	switch cfg.Mkfs {
	case FSNone:
	case "":
		if p, err := exec.LookPath("mkfs.ext4"); err == nil {
			d.mkfs = p
		}
	default:
		d.mkfs = cfg.Mkfs
	}
	return d, nil
}

// Name implements driver.Driver.
func (d *Driver) Name() string { return driver.Volume }

// HasMkfs reports whether the driver can make ext4 filesystems.
func (d *Driver) HasMkfs() bool { return d.mkfs != "" }

func (d *Driver) dir(id uint64) string   { return filepath.Join(d.cfg.Root, strconv.FormatUint(id, 10)) }
func (d *Driver) image(id uint64) string { return filepath.Join(d.dir(id), imageName) }

// ParseSpec reads and checks the volume's deployment data.
func (d *Driver) ParseSpec(data string) (Spec, error) {
	var s Spec
	if err := driver.Decode(data, &s); err != nil {
		return s, err
	}
	if s.Driver != "" && s.Driver != driver.Volume {
		return s, fmt.Errorf("%w: driver %q given to the volume driver", driver.ErrInvalidSpec, s.Driver)
	}
	switch s.FS {
	case "":
		s.FS = FSNone
		if d.mkfs != "" {
			s.FS = FSExt4
		}
	case FSNone:
	case FSExt4:
		if d.mkfs == "" {
			return s, fmt.Errorf("%w: fs ext4 asked but this node has no mkfs.ext4", driver.ErrInvalidSpec)
		}
	default:
		return s, fmt.Errorf("%w: fs %q (want ext4 or none)", driver.ErrInvalidSpec, s.FS)
	}
	return s, nil
}

// Deploy implements driver.Driver.
func (d *Driver) Deploy(ctx context.Context, w driver.Workload) (string, error) {
	spec, err := d.ParseSpec(w.Data)
	if err != nil {
		return "", err
	}
	size := w.Resources.StorageBytes
	if size == 0 {
		return "", fmt.Errorf("%w: the lease books no storage", driver.ErrInvalidSpec)
	}
	if size > 1<<62 {
		return "", fmt.Errorf("%w: %d bytes", driver.ErrNoCapacity, size)
	}
	if rec, ok := d.record(w.LeaseID); ok && rec.Size == size && rec.FS == spec.FS {
		if st, err := os.Stat(rec.Path); err == nil && uint64(st.Size()) == size {
			return info(rec), nil
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.checkCapacity(w.LeaseID, size); err != nil {
		return "", err
	}
	if err := os.MkdirAll(d.dir(w.LeaseID), 0o750); err != nil {
		return "", err
	}
	// A half-made image from an interrupted deploy is made again from scratch.
	_ = os.Remove(filepath.Join(d.dir(w.LeaseID), recordName))
	path := d.image(w.LeaseID)
	_ = os.Remove(path)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return "", err
	}
	if err := f.Truncate(int64(size)); err != nil {
		f.Close()
		return "", fmt.Errorf("size volume: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	rec := Record{Path: path, Size: size, FS: spec.FS, UUID: newUUID()}
	if spec.FS == FSExt4 {
		label := "lease-" + strconv.FormatUint(w.LeaseID, 10)
		if len(label) > 16 {
			label = label[:16]
		}
		out, err := exec.CommandContext(ctx, d.mkfs, "-q", "-F", "-U", rec.UUID, "-L", label, path).CombinedOutput()
		if err != nil {
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			return "", fmt.Errorf("mkfs.ext4: %v: %s", err, out)
		}
	}
	bz, _ := json.Marshal(rec)
	if err := driver.WriteFileAtomic(filepath.Join(d.dir(w.LeaseID), recordName), bz, 0o644); err != nil {
		return "", err
	}
	return info(rec), nil
}

// info is the DEPLOYED report's text: the record as compact JSON.
func info(r Record) string {
	bz, _ := json.Marshal(r)
	return string(bz)
}

// record reads a deployed volume's record.
func (d *Driver) record(id uint64) (Record, bool) {
	var r Record
	bz, err := os.ReadFile(filepath.Join(d.dir(id), recordName))
	if err != nil || json.Unmarshal(bz, &r) != nil {
		return r, false
	}
	return r, true
}

// checkCapacity refuses a volume the disk could not hold once every volume is full.
func (d *Driver) checkCapacity(lease uint64, size uint64) error {
	var st syscall.Statfs_t
	if err := syscall.Statfs(d.cfg.Root, &st); err != nil {
		return fmt.Errorf("statfs %s: %w", d.cfg.Root, err)
	}
	free := st.Bavail * uint64(st.Bsize)
	// Sparse volumes may still grow into their booked size: count what they have not used yet.
	var owed uint64
	entries, _ := os.ReadDir(d.cfg.Root)
	for _, e := range entries {
		id, err := strconv.ParseUint(e.Name(), 10, 64)
		if err != nil || id == lease {
			continue
		}
		fi, err := os.Stat(d.image(id))
		if err != nil {
			continue
		}
		used := uint64(0)
		if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
			used = uint64(sys.Blocks) * 512
		}
		if sz := uint64(fi.Size()); sz > used {
			owed += sz - used
		}
	}
	need := size + d.cfg.MinFreeBytes + owed
	if need > free || need < size {
		return fmt.Errorf("%w: a %d-byte volume needs %d bytes of disk (with %d kept free and %d owed to other volumes), %d free",
			driver.ErrNoCapacity, size, need, d.cfg.MinFreeBytes, owed, free)
	}
	return nil
}

// Pause implements driver.Driver: the image becomes read-only.
func (d *Driver) Pause(_ context.Context, w driver.Workload) error {
	return ignoreMissing(os.Chmod(d.image(w.LeaseID), 0o444))
}

// Resume implements driver.Driver: the image becomes writable again.
func (d *Driver) Resume(_ context.Context, w driver.Workload) error {
	return ignoreMissing(os.Chmod(d.image(w.LeaseID), 0o644))
}

// Teardown implements driver.Driver: the volume and its directory are deleted.
func (d *Driver) Teardown(_ context.Context, w driver.Workload) error {
	return os.RemoveAll(d.dir(w.LeaseID))
}

// Status implements driver.Driver.
func (d *Driver) Status(_ context.Context, w driver.Workload) (driver.Status, error) {
	rec, ok := d.record(w.LeaseID)
	if !ok {
		return driver.Status{State: driver.StateMissing}, nil
	}
	fi, err := os.Stat(rec.Path)
	if errors.Is(err, os.ErrNotExist) {
		return driver.Status{State: driver.StateMissing, Detail: "image missing"}, nil
	}
	if err != nil {
		return driver.Status{}, err
	}
	detail := fmt.Sprintf("%s, %d bytes, fs %s", rec.Path, fi.Size(), rec.FS)
	if fi.Mode().Perm()&0o222 == 0 {
		return driver.Status{State: driver.StatePaused, Detail: detail}, nil
	}
	return driver.Status{State: driver.StateRunning, Detail: detail}, nil
}

func ignoreMissing(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
