// Package driver defines how the provider agent runs a lease's workload: the Driver interface
// that every kind of workload implements (a volume, a supervised process, later containers or
// VMs), the Workload a driver is handed, and the errors that tell the agent a deployment cannot
// succeed (which it reports to the chain as FAILED) from one that may succeed on a retry.
//
// Every Driver method is idempotent and safe to call again after a crash at any point: the agent
// persists what it intends to do before calling a driver, and simply calls it again after a
// restart. Methods for the same lease are never called concurrently; methods for different
// leases may be.
package driver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	providertypes "github.com/guild-network/guild/x/provider/types"
)

// Names of the built-in drivers.
const (
	Volume  = "volume"
	Process = "process"
)

// Errors a driver returns for a deployment that cannot succeed as asked; the agent reports
// them to the chain as FAILED with the error's text as the reason.
var (
	// ErrInvalidSpec: the deployment data cannot be parsed or asks for something impossible.
	ErrInvalidSpec = errors.New("invalid deployment")
	// ErrNoCapacity: the node lacks the disk (or other resource) the lease booked.
	ErrNoCapacity = errors.New("not enough capacity")
	// ErrStartFailed: the workload was created but did not stay up.
	ErrStartFailed = errors.New("workload did not start")
	// ErrUnknownDriver: the deployment names a driver this node does not run.
	ErrUnknownDriver = errors.New("driver not enabled on this node")
)

// Permanent reports whether err means the deployment can never succeed as asked (so the agent
// reports FAILED) rather than a transient failure worth retrying.
func Permanent(err error) bool {
	return errors.Is(err, ErrInvalidSpec) || errors.Is(err, ErrNoCapacity) ||
		errors.Is(err, ErrStartFailed) || errors.Is(err, ErrUnknownDriver)
}

// Workload is what a driver needs to know about one lease.
type Workload struct {
	LeaseID uint64
	// Resources is the lease's whole booking: the offer's resources per unit × units.
	Resources providertypes.Resources
	// Data is the deployment data the tenant put on chain (a small JSON document).
	Data string
	// Hash is the hash of the full deployment specification.
	Hash []byte
}

// State is what a driver observes of a workload.
type State int

// Workload states.
const (
	StateMissing State = iota // nothing exists for the lease
	StateRunning              // deployed and serving
	StatePaused               // deployed but paused (read-only, stopped)
	StateExited               // a process exited and its policy does not restart it
)

func (s State) String() string {
	switch s {
	case StateRunning:
		return "running"
	case StatePaused:
		return "paused"
	case StateExited:
		return "exited"
	default:
		return "missing"
	}
}

// Status is a driver's view of a workload.
type Status struct {
	State  State
	Detail string // e.g. "pid 1234, 2 restarts"
}

// Driver runs one kind of workload.
type Driver interface {
	// Name is the driver's name in deployment data and the configuration.
	Name() string
	// Deploy creates and starts the workload, or, if it already exists as specified, makes
	// sure it runs (a paused workload stays paused). It returns the workload's identity, which
	// the agent puts in its DEPLOYED report. Errors for which Permanent is true mean the
	// deployment cannot succeed.
	Deploy(ctx context.Context, w Workload) (info string, err error)
	// Pause stops the workload from serving without losing its data.
	Pause(ctx context.Context, w Workload) error
	// Resume undoes Pause.
	Resume(ctx context.Context, w Workload) error
	// Teardown stops the workload for good and deletes its data. Tearing down a workload that
	// does not exist succeeds.
	Teardown(ctx context.Context, w Workload) error
	// Status observes the workload without changing it.
	Status(ctx context.Context, w Workload) (Status, error)
}

// Closer is implemented by drivers that hold resources (supervisors, watchers) to release when
// the agent stops. Closing a driver leaves its workloads as they are unless it was configured
// to stop them.
type Closer interface {
	Close() error
}

// Header is the part of deployment data every driver shares.
type Header struct {
	// Driver names the driver explicitly; empty means "by offer kind".
	Driver string `json:"driver"`
}

// ParseHeader reads the driver name from deployment data. Empty data has no header; data that
// is not a JSON object is ErrInvalidSpec.
func ParseHeader(data string) (Header, error) {
	var h Header
	if len(bytes.TrimSpace([]byte(data))) == 0 {
		return h, nil
	}
	if err := json.Unmarshal([]byte(data), &h); err != nil {
		return h, fmt.Errorf("%w: deployment data is not a JSON object: %v", ErrInvalidSpec, err)
	}
	return h, nil
}

// Decode parses deployment data strictly into v: unknown fields are ErrInvalidSpec, so that a
// tenant's typo is reported rather than silently ignored. Empty data leaves v as it is.
func Decode(data string, v any) error {
	if len(bytes.TrimSpace([]byte(data))) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidSpec, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data after the JSON object", ErrInvalidSpec)
	}
	return nil
}

// ForKind returns the default driver of an offer kind: volume offers get the volume driver, VM
// offers the process driver (until a VM driver exists).
func ForKind(kind providertypes.OfferKind) string {
	switch kind {
	case providertypes.OFFER_KIND_VOLUME:
		return Volume
	case providertypes.OFFER_KIND_VM:
		return Process
	default:
		return ""
	}
}

// Select picks the driver for a lease: the deployment data's "driver" field, else the offer
// kind's default.
func Select(data string, kind providertypes.OfferKind) (string, error) {
	h, err := ParseHeader(data)
	if err != nil {
		return "", err
	}
	if h.Driver != "" {
		return h.Driver, nil
	}
	if name := ForKind(kind); name != "" {
		return name, nil
	}
	return "", fmt.Errorf("%w: no driver named and offer kind %s has no default", ErrInvalidSpec, kind)
}

// Scale returns per-unit resources × units, saturating instead of overflowing.
func Scale(r providertypes.Resources, units uint64) providertypes.Resources {
	mul := func(a uint64) uint64 {
		if units != 0 && a > ^uint64(0)/units {
			return ^uint64(0)
		}
		return a * units
	}
	return providertypes.Resources{
		CpuMilli: mul(r.CpuMilli), MemoryBytes: mul(r.MemoryBytes), StorageBytes: mul(r.StorageBytes), Gpus: mul(r.Gpus),
	}
}
