package protocol

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// partialRules are the rules of a partial's two signatures: RFC 8032's cofactored equation, the
// one batch verification can check (crypto/ed25519's cofactorless equation cannot be batched),
// with small-order and non-canonical public keys refused. Against crypto/ed25519 it refuses more
// keys (small-order ones, under which anyone can sign, and non-canonical encodings) and accepts
// only the signatures whose nonce has a small-order component, which only the key's holder can
// make: no forgery passes either. The rules are the same whether a signature is checked in a
// batch or alone, so an answer never depends on what else arrived at the same time.
var partialRules = &voi.Options{Verify: voi.VerifyOptionsDefault}

// maxSigBatch is the most partials (two signatures each) one batch verification takes.
const maxSigBatch = 64

// PartialVerifier checks partials' two signatures, batching the partials that arrive together:
// one batch verification of n signatures costs far less than n verifications (the pool
// benchmark's profile: two verifications were a third of a partial's CPU). It never waits for a
// batch to fill: a caller joins a queue; one caller at a time acts as the verifier, taking
// everything queued (up to maxSigBatch partials) and answering every partial in it, then handing
// the role to the next caller queued, so a lone partial is verified at once and a burst shares
// batches. One verifier, not one per core: with one per core they took each partial as it came
// (batches of one or two) and saved nothing; one verifier keeps a core while the other decodes,
// checks proofs and writes, and the queue fills behind it (a batch of 64 partials verifies in a
// few milliseconds, far above the pool's rate on one core). When a batch fails, each of
// its signatures is verified on its own (curve25519-voi's BatchVerifier.Verify), so one forged
// partial costs its batch the serial price but never changes another partial's answer. Expanded
// keys come from a KeyCache. Safe for concurrent use.
type PartialVerifier struct {
	keys              *KeyCache
	max               int
	mu                sync.Mutex
	queue             []*sigJob
	leaders           int // callers holding the right to verify a batch (≤ max), or promised it
	batches, partials atomic.Uint64
	busyNs            atomic.Int64 // time spent verifying batches
}

type sigJob struct {
	plot, auth     *voi.ExpandedPublicKey // nil: not a curve point
	msg            Bytes32
	sig            []byte
	plotOK, authOK bool
	promoted       bool          // under mu: it was handed the right to verify
	done           chan struct{} // closed when plotOK and authOK are set
	lead           chan struct{} // receives the right to verify a batch (at most once)
}

// NewPartialVerifier returns a verifier whose expanded keys come from keys.
func NewPartialVerifier(keys *KeyCache) *PartialVerifier {
	return &PartialVerifier{keys: keys, max: 1}
}

// VerifyPartial is VerifyPartial under partialRules, batched with concurrent calls.
func (v *PartialVerifier) VerifyPartial(p *PostPartialPayload, authKey Bytes32, sig []byte) error {
	if len(sig) != 2*SignatureSize {
		return Errorf(InvalidSignature, "aggregate signature must be %d bytes, got %d", 2*SignatureSize, len(sig))
	}
	j := &sigJob{plot: v.keys.expanded(p.ProofOfSpace.PlotPublicKey), auth: v.keys.expanded(authKey),
		msg: p.Hash(), sig: sig, done: make(chan struct{}), lead: make(chan struct{}, 1)}
	if j.plot != nil || j.auth != nil {
		v.wait(j)
	}
	if !j.plotOK {
		return Errorf(InvalidSignature, "plot key signature does not verify")
	}
	if !j.authOK {
		return Errorf(InvalidSignature, "authentication key signature does not verify")
	}
	return nil
}

// Batches returns how many batches were verified and how many partials they held.
func (v *PartialVerifier) Batches() (batches, partials uint64) {
	return v.batches.Load(), v.partials.Load()
}

// Busy returns the time spent verifying batches.
func (v *PartialVerifier) Busy() time.Duration { return time.Duration(v.busyNs.Load()) }

// wait queues j and returns once it is answered, verifying batches (its own or others') when it
// holds the right to.
func (v *PartialVerifier) wait(j *sigJob) {
	v.mu.Lock()
	v.queue = append(v.queue, j)
	first := v.leaders < v.max
	if first {
		v.leaders++
	}
	v.mu.Unlock()
	if first {
		v.lead()
	}
	for {
		select {
		case <-j.lead:
			v.lead()
		case <-j.done:
			// a right handed over before another verifier took j must still be used
			select {
			case <-j.lead:
				v.lead()
			default:
			}
			return
		}
	}
}

// lead verifies one batch from the head of the queue, then hands the right on to the first
// queued caller not yet handed it, or gives it up when there is none.
func (v *PartialVerifier) lead() {
	// Let the callers that are already runnable (a burst of requests) reach the queue first: a
	// yield, not a wait — with nothing else runnable it returns at once.
	runtime.Gosched()
	v.mu.Lock()
	n := min(len(v.queue), maxSigBatch)
	batch := make([]*sigJob, n)
	copy(batch, v.queue)
	v.queue = append(v.queue[:0], v.queue[n:]...)
	v.mu.Unlock()

	t0 := time.Now()
	verifyBatch(batch)
	v.busyNs.Add(int64(time.Since(t0)))
	if n > 0 {
		v.batches.Add(1)
		v.partials.Add(uint64(n))
	}

	v.mu.Lock()
	defer v.mu.Unlock()
	for _, q := range v.queue {
		if !q.promoted {
			q.promoted = true
			q.lead <- struct{}{} // buffered, and sent at most once per job
			return
		}
	}
	v.leaders--
}

// verifyBatch sets every job's answers and closes its done channel.
func verifyBatch(batch []*sigJob) {
	if len(batch) == 0 {
		return
	}
	bv := voi.NewBatchVerifierWithCapacity(2 * len(batch))
	for _, j := range batch {
		if j.plot != nil {
			bv.AddExpandedWithOptions(j.plot, j.msg[:], j.sig[:SignatureSize], partialRules)
		}
		if j.auth != nil {
			bv.AddExpandedWithOptions(j.auth, j.msg[:], j.sig[SignatureSize:], partialRules)
		}
	}
	_, valid := bv.Verify(nil)
	i := 0
	for _, j := range batch {
		if j.plot != nil {
			j.plotOK = valid[i]
			i++
		}
		if j.auth != nil {
			j.authOK = valid[i]
			i++
		}
		close(j.done)
	}
}
