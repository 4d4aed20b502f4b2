// Package client is the farmer's side of the pool protocol: it registers a farmer's pool
// contracts with a pool server (POST /farmer, after join-pool on chain), updates their payout
// address or authentication key (PUT /farmer), reads their records (GET /farmer), and sends a
// partial for every proof good enough at the pool difficulty, following new_difficulty. It
// implements daemon/farmer's PoolClient: the harvester asks Difficulty and hands over partials,
// which a background loop sends, so that the harvester never waits for the pool.
package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/guild-network/guild/daemon/farmer"
	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/internal/clock"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// ErrQueueFull is returned by SubmitPartial when the send queue is full (the pool is slower
// than the harvester); the partial is dropped.
var ErrQueueFull = errors.New("pool client: partial queue full")

// Signer signs with a key of the farmer's keyring by public key (plot, owner and
// authentication keys alike); daemon/farmer's Signer has this shape.
type Signer interface {
	Sign(pub []byte, msg []byte) ([]byte, error)
}

// Member is one pool contract the farmer farms to the pool with.
type Member struct {
	ContractID     uint64
	OwnerPublicKey [32]byte // signs POST and PUT /farmer
	AuthPublicKey  [32]byte // signs partials (with the plot key) and GET /farmer
	PayoutAddress  string
}

// Status is what the client knows of one member, for `guildd farmer status` and metrics.
type Status struct {
	ContractID uint64    `json:"pool_contract_id"`
	PoolURL    string    `json:"pool_url"`
	Joined     bool      `json:"joined"`
	Difficulty uint64    `json:"difficulty"`
	Points     uint64    `json:"points"`
	Accepted   uint64    `json:"partials_accepted"`
	Refused    uint64    `json:"partials_refused"`
	LastError  string    `json:"last_error,omitempty"`
	LastErrAt  time.Time `json:"last_error_at,omitzero"`
}

// Client talks to one pool server.
type Client struct {
	url        string
	http       *http.Client
	signer     Signer
	clk        clock.Clock
	harvester  protocol.Bytes32
	tokenMins  uint8
	poolTarget string

	mu      sync.Mutex
	members map[uint64]*member
	queue   chan farmer.Proof
}

type member struct {
	Member
	status Status
}

// New returns a client of the pool at url (https://host[:port][/path]) for the members.
// harvesterID names this farmer in the pool's records.
func New(url string, signer Signer, members []Member, harvesterID string, clk clock.Clock) *Client {
	c := &Client{url: strings.TrimSuffix(url, "/"), http: &http.Client{Timeout: 20 * time.Second}, signer: signer,
		clk: clock.OrReal(clk), harvester: sha256.Sum256([]byte(harvesterID)), tokenMins: protocol.DefaultAuthTokenTimeout,
		members: map[uint64]*member{}, queue: make(chan farmer.Proof, 1024)}
	for _, m := range members {
		c.members[m.ContractID] = &member{Member: m, status: Status{ContractID: m.ContractID, PoolURL: c.url}}
	}
	return c
}

var _ farmer.PoolClient = (*Client)(nil)

// call sends a request and decodes the answer into out, returning a *protocol.Error for the
// pool's error objects.
func (c *Client) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.url+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("pool %s: %w", c.url, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return err
	}
	var pe protocol.Error
	if json.Unmarshal(raw, &pe) == nil && pe.Code != 0 {
		return &pe
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("pool %s %s: HTTP %d: %s", method, path, res.StatusCode, bytes.TrimSpace(raw))
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// PoolInfo reads GET /pool_info and remembers the token timeout and the pool's address.
func (c *Client) PoolInfo(ctx context.Context) (protocol.PoolInfo, error) {
	var info protocol.PoolInfo
	if err := c.call(ctx, "GET", "/pool_info", nil, &info); err != nil {
		return info, err
	}
	c.mu.Lock()
	if info.AuthenticationTokenTimeout > 0 {
		c.tokenMins = info.AuthenticationTokenTimeout
	}
	c.poolTarget = info.TargetPuzzleHash
	c.mu.Unlock()
	return info, nil
}

func (c *Client) token() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return protocol.AuthToken(c.clk.Now(), c.tokenMins)
}

func (c *Client) member(id uint64) (*member, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.members[id]
	if !ok {
		return nil, fmt.Errorf("pool client: pool contract %d is not a member of this client", id)
	}
	return m, nil
}

// Join registers a member with the pool (its pool contract must already target the pool on
// chain). A farmer the pool already knows is not an error. It then reads the farmer's record.
func (c *Client) Join(ctx context.Context, id uint64, suggestedDifficulty *uint64) error {
	m, err := c.member(id)
	if err != nil {
		return err
	}
	req := protocol.PostFarmerRequest{Payload: protocol.PostFarmerPayload{LauncherID: farmingtypes.PoolContractKey(id),
		AuthenticationToken: c.token(), AuthenticationPublicKey: m.AuthPublicKey, PayoutInstructions: m.PayoutAddress,
		SuggestedDifficulty: suggestedDifficulty}}
	h := req.Payload.Hash()
	if req.Signature, err = c.signer.Sign(m.OwnerPublicKey[:], h[:]); err != nil {
		return fmt.Errorf("pool client: owner signature: %w", err)
	}
	var resp protocol.PostFarmerResponse
	if err := c.call(ctx, "POST", "/farmer", req, &resp); err != nil && !errors.Is(err, &protocol.Error{Code: protocol.FarmerAlreadyKnown}) {
		c.fail(m, err)
		return err
	}
	_, err = c.Farmer(ctx, id)
	return err
}

// Update changes a member's record (PUT /farmer): only the fields set in p are sent.
func (c *Client) Update(ctx context.Context, id uint64, p protocol.PutFarmerPayload) (protocol.PutFarmerResponse, error) {
	var resp protocol.PutFarmerResponse
	m, err := c.member(id)
	if err != nil {
		return resp, err
	}
	p.LauncherID, p.AuthenticationToken = farmingtypes.PoolContractKey(id), c.token()
	req := protocol.PutFarmerRequest{Payload: p}
	h := p.Hash()
	if req.Signature, err = c.signer.Sign(m.OwnerPublicKey[:], h[:]); err != nil {
		return resp, fmt.Errorf("pool client: owner signature: %w", err)
	}
	if err := c.call(ctx, "PUT", "/farmer", req, &resp); err != nil {
		c.fail(m, err)
		return resp, err
	}
	c.mu.Lock()
	if p.AuthenticationPublicKey != nil {
		m.AuthPublicKey = [32]byte(*p.AuthenticationPublicKey)
	}
	if p.PayoutInstructions != nil {
		m.PayoutAddress = *p.PayoutInstructions
	}
	c.mu.Unlock()
	return resp, nil
}

// Farmer reads a member's record (GET /farmer) and updates its status.
func (c *Client) Farmer(ctx context.Context, id uint64) (protocol.GetFarmerResponse, error) {
	var resp protocol.GetFarmerResponse
	m, err := c.member(id)
	if err != nil {
		return resp, err
	}
	if c.target() == "" {
		if _, err := c.PoolInfo(ctx); err != nil {
			return resp, err
		}
	}
	ap := protocol.AuthenticationPayload{MethodName: protocol.MethodGetFarmer, LauncherID: farmingtypes.PoolContractKey(id),
		TargetPuzzleHash: c.target(), AuthenticationToken: c.token()}
	h := ap.Hash()
	sig, err := c.signer.Sign(m.AuthPublicKey[:], h[:])
	if err != nil {
		return resp, fmt.Errorf("pool client: authentication signature: %w", err)
	}
	q := protocol.AuthQuery{LauncherID: ap.LauncherID, AuthenticationToken: ap.AuthenticationToken, Signature: sig}
	if err := c.call(ctx, "GET", "/farmer?"+q.Values().Encode(), nil, &resp); err != nil {
		c.fail(m, err)
		return resp, err
	}
	c.mu.Lock()
	m.status.Joined, m.status.Difficulty, m.status.Points = true, resp.CurrentDifficulty, resp.CurrentPoints
	c.mu.Unlock()
	return resp, nil
}

func (c *Client) target() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.poolTarget
}

func (c *Client) fail(m *member, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m.status.LastError, m.status.LastErrAt = err.Error(), c.clk.Now()
}

// Difficulty implements farmer.PoolClient: the member's pool difficulty, 0 before it joined
// (or for a contract that is not a member), so that no partial is looked for.
func (c *Client) Difficulty(id uint64) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.members[id]; ok && m.status.Joined {
		return m.status.Difficulty
	}
	return 0
}

// SubmitPartial implements farmer.PoolClient: it queues the partial for Run to send.
func (c *Client) SubmitPartial(_ context.Context, p farmer.Proof) error {
	select {
	case c.queue <- p:
		return nil
	default:
		return ErrQueueFull
	}
}

// Run registers the members that have not joined yet (retrying every 10 s: a pool contract's
// join-pool may not be in a block yet), refreshes their records every minute, and sends queued
// partials, until ctx ends.
func (c *Client) Run(ctx context.Context) error {
	refresh := func() {
		for _, st := range c.Status() {
			if st.Joined {
				_, _ = c.Farmer(ctx, st.ContractID)
			} else {
				_ = c.Join(ctx, st.ContractID, nil)
			}
		}
	}
	refresh()
	t := c.clk.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C():
			refresh()
		case p := <-c.queue:
			_ = c.Send(ctx, p)
		}
	}
}

// Send builds, signs and posts one partial now, and follows the new difficulty it is answered.
func (c *Client) Send(ctx context.Context, p farmer.Proof) error {
	m, err := c.member(p.Plot.PoolContractID)
	if err != nil {
		return err
	}
	lid := protocol.Bytes32(farmingtypes.PoolContractKey(p.Plot.PoolContractID))
	req := protocol.PostPartialRequest{Payload: protocol.PostPartialPayload{
		LauncherID: lid, AuthenticationToken: c.token(),
		ProofOfSpace: protocol.ProofOfSpace{Challenge: farmingtypes.ProofChallenge(p.Plot.ID, p.SPHash), PoolContractPuzzleHash: lid,
			PlotPublicKey: protocol.Bytes32(p.Plot.PublicKey), Size: uint8(p.Plot.K), Proof: p.Proof},
		SPHash: p.SPHash, HarvesterID: c.harvester,
	}}
	h := req.Payload.Hash()
	plotSig, err := c.signer.Sign(p.Plot.PublicKey, h[:])
	if err != nil {
		return fmt.Errorf("pool client: plot signature: %w", err)
	}
	authSig, err := c.signer.Sign(m.AuthPublicKey[:], h[:])
	if err != nil {
		return fmt.Errorf("pool client: authentication signature: %w", err)
	}
	req.AggregateSignature = append(plotSig, authSig...)
	var resp protocol.PostPartialResponse
	err = c.call(ctx, "POST", "/partial", req, &resp)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		m.status.Refused++
		m.status.LastError, m.status.LastErrAt = err.Error(), c.clk.Now()
		return err
	}
	m.status.Accepted++
	m.status.Points += p.Difficulty
	if resp.NewDifficulty != 0 {
		m.status.Difficulty = resp.NewDifficulty
	}
	return nil
}

// Status returns every member's status, by pool contract id.
func (c *Client) Status() []Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Status, 0, len(c.members))
	for _, m := range c.members {
		out = append(out, m.status)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].ContractID < out[j-1].ContractID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
