package volume

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/agent/driver"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

const gib = 1 << 30

func workload(id, size uint64, data string) driver.Workload {
	return driver.Workload{LeaseID: id, Resources: providertypes.Resources{StorageBytes: size}, Data: data}
}

func TestVolumeLifecycle(t *testing.T) {
	d, err := New(Config{Root: t.TempDir()})
	require.NoError(t, err)
	ctx := context.Background()
	w := workload(1, 2*gib, `{"driver":"volume"}`)

	info, err := d.Deploy(ctx, w)
	require.NoError(t, err)
	var rec Record
	require.NoError(t, json.Unmarshal([]byte(info), &rec), info)
	require.EqualValues(t, 2*gib, rec.Size)
	require.Len(t, rec.UUID, 36)
	fi, err := os.Stat(rec.Path)
	require.NoError(t, err)
	require.EqualValues(t, 2*gib, fi.Size(), "the volume has the booked size")
	blocks := fi.Sys().(*syscall.Stat_t).Blocks * 512
	require.Less(t, blocks, int64(gib/4), "the volume is sparse")
	if d.HasMkfs() {
		require.Equal(t, FSExt4, rec.FS)
		// The ext4 superblock starts at byte 1024; its magic 0xEF53 is at offset 56.
		f, err := os.Open(rec.Path)
		require.NoError(t, err)
		var magic [2]byte
		_, err = f.ReadAt(magic[:], 1024+56)
		f.Close()
		require.NoError(t, err)
		require.EqualValues(t, 0xEF53, binary.LittleEndian.Uint16(magic[:]))
	} else {
		require.Equal(t, FSNone, rec.FS)
	}

	again, err := d.Deploy(ctx, w)
	require.NoError(t, err)
	require.Equal(t, info, again, "deploying again returns the same volume")

	st, err := d.Status(ctx, w)
	require.NoError(t, err)
	require.Equal(t, driver.StateRunning, st.State)

	require.NoError(t, d.Pause(ctx, w))
	fi, err = os.Stat(rec.Path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o444), fi.Mode().Perm())
	st, _ = d.Status(ctx, w)
	require.Equal(t, driver.StatePaused, st.State)
	again, err = d.Deploy(ctx, w)
	require.NoError(t, err)
	require.Equal(t, info, again)
	st, _ = d.Status(ctx, w)
	require.Equal(t, driver.StatePaused, st.State, "deploy keeps a paused volume paused")

	require.NoError(t, d.Resume(ctx, w))
	fi, err = os.Stat(rec.Path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), fi.Mode().Perm())

	require.NoError(t, d.Teardown(ctx, w))
	require.NoFileExists(t, rec.Path)
	require.NoDirExists(t, filepath.Dir(rec.Path))
	st, _ = d.Status(ctx, w)
	require.Equal(t, driver.StateMissing, st.State)
	require.NoError(t, d.Teardown(ctx, w), "teardown is idempotent")
	require.NoError(t, d.Pause(ctx, w), "pausing a missing volume is a no-op")
}

func TestRawVolume(t *testing.T) {
	d, err := New(Config{Root: t.TempDir()})
	require.NoError(t, err)
	info, err := d.Deploy(context.Background(), workload(2, 3*gib, `{"fs":"none"}`))
	require.NoError(t, err)
	var rec Record
	require.NoError(t, json.Unmarshal([]byte(info), &rec))
	require.Equal(t, FSNone, rec.FS)
	fi, err := os.Stat(rec.Path)
	require.NoError(t, err)
	require.EqualValues(t, 3*gib, fi.Size())
}

func TestHalfMadeVolumeIsMadeAgain(t *testing.T) {
	root := t.TempDir()
	d, err := New(Config{Root: root})
	require.NoError(t, err)
	// An interrupted deploy left an image of the wrong size and no record.
	require.NoError(t, os.MkdirAll(filepath.Join(root, "3"), 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(root, "3", imageName), []byte("junk"), 0o644))
	st, err := d.Status(context.Background(), workload(3, gib, ""))
	require.NoError(t, err)
	require.Equal(t, driver.StateMissing, st.State)
	info, err := d.Deploy(context.Background(), workload(3, gib, ""))
	require.NoError(t, err)
	var rec Record
	require.NoError(t, json.Unmarshal([]byte(info), &rec))
	fi, err := os.Stat(rec.Path)
	require.NoError(t, err)
	require.EqualValues(t, gib, fi.Size())
}

func TestVolumeRefusals(t *testing.T) {
	root := t.TempDir()
	d, err := New(Config{Root: root, Mkfs: FSNone})
	require.NoError(t, err)
	ctx := context.Background()

	_, err = d.Deploy(ctx, workload(4, 1<<60, ""))
	require.ErrorIs(t, err, driver.ErrNoCapacity, "beyond the free disk")
	require.True(t, driver.Permanent(err))

	// Sparse volumes count at their full size: two that would not both fit once full.
	var st syscall.Statfs_t
	require.NoError(t, syscall.Statfs(root, &st))
	free := st.Bavail * uint64(st.Bsize)
	_, err = d.Deploy(ctx, workload(5, free*3/5, ""))
	require.NoError(t, err)
	_, err = d.Deploy(ctx, workload(6, free*3/5, ""))
	require.ErrorIs(t, err, driver.ErrNoCapacity)
	require.NoError(t, d.Teardown(ctx, workload(5, 0, "")))

	for _, data := range []string{`not json`, `{"fs":"xfs"}`, `{"size":1}`, `{"driver":"process"}`, `{"fs":"ext4"}`} {
		_, err = d.Deploy(ctx, workload(7, gib, data))
		require.ErrorIs(t, err, driver.ErrInvalidSpec, data)
	}
	_, err = d.Deploy(ctx, workload(8, 0, ""))
	require.ErrorIs(t, err, driver.ErrInvalidSpec, "no storage booked")
}
