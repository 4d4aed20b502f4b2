package pool

import (
	"context"
	"errors"
	"net/http"

	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/daemon/pool/store"
)

// checkContract reads the farmer's pool contract from the chain and checks that it belongs to
// this pool: its target is the pool's address, its pool URL the pool's, its relative lock the
// pool's, and it is farming to the pool (or leaving, within the lock).
func (s *Server) checkContract(ctx context.Context, lid protocol.Bytes32) (PoolContract, error) {
	c, err := s.chain.Contract(ctx, store.Key(lid))
	if errors.Is(err, ErrContractNotFound) {
		return c, protocol.Errorf(protocol.InvalidSingleton, "no pool contract with launcher_id %s", lid)
	} else if err != nil {
		return c, protocol.Errorf(protocol.ServerException, "reading pool contract: %v", err)
	}
	height, err := s.chain.Height(ctx)
	if err != nil {
		return c, protocol.Errorf(protocol.ServerException, "reading height: %v", err)
	}
	switch {
	case c.Target != s.cfg.Pool.Address:
		return c, protocol.Errorf(protocol.InvalidSingleton, "pool contract %d targets %s, not this pool's %s", c.ID, c.Target, s.cfg.Pool.Address)
	case c.PoolURL != s.cfg.Pool.URL:
		return c, protocol.Errorf(protocol.InvalidSingleton, "pool contract %d names pool URL %q, not %q", c.ID, c.PoolURL, s.cfg.Pool.URL)
	case c.RelativeLock != s.cfg.Pool.RelativeLock:
		return c, protocol.Errorf(protocol.InvalidSingleton, "pool contract %d has relative lock %d, the pool requires %d", c.ID, c.RelativeLock, s.cfg.Pool.RelativeLock)
	case !c.member(s.cfg.Pool.Address, s.cfg.Pool.RelativeLock, uint64(height)):
		return c, protocol.Errorf(protocol.InvalidSingleton, "pool contract %d is not farming to this pool", c.ID)
	}
	return c, nil
}

// checkPayoutAddress accepts a bech32 account address with the pool address's prefix.
func (s *Server) checkPayoutAddress(addr string) error {
	hrp, data, err := bech32.DecodeAndConvert(addr)
	if err != nil {
		return protocol.Errorf(protocol.InvalidPayoutInstructions, "payout_instructions %q is not a bech32 address: %v", addr, err)
	}
	poolHRP, _, _ := bech32.DecodeAndConvert(s.cfg.Pool.Address)
	if hrp != poolHRP || (len(data) != 20 && len(data) != 32) {
		return protocol.Errorf(protocol.InvalidPayoutInstructions, "payout_instructions %q is not a %s account address", addr, poolHRP)
	}
	return nil
}

func (s *Server) handlePostFarmer(w http.ResponseWriter, r *http.Request) error {
	now := s.clock.Now()
	req, err := protocol.DecodePostFarmer(r.Body, s.cfg.Limits.MaxBodyBytes)
	if err != nil {
		return err
	}
	p := &req.Payload
	if err := protocol.CheckAuthToken(p.AuthenticationToken, now, s.cfg.Pool.AuthTokenTimeout); err != nil {
		return err
	}
	if _, err := s.store.Farmer(r.Context(), store.Key(p.LauncherID)); err == nil {
		return protocol.Errorf(protocol.FarmerAlreadyKnown, "farmer %s is already known", p.LauncherID)
	} else if !errors.Is(err, store.ErrNotFound) {
		return protocol.Errorf(protocol.ServerException, "%v", err)
	}
	c, err := s.checkContract(r.Context(), p.LauncherID)
	if err != nil {
		return err
	}
	diff := s.cfg.Pool.DefaultDifficulty
	if p.SuggestedDifficulty != nil && *p.SuggestedDifficulty >= s.cfg.Pool.MinDifficulty {
		diff = *p.SuggestedDifficulty
	}
	if err := s.checkPayoutAddress(p.PayoutInstructions); err != nil {
		return err
	}
	if err := protocol.VerifyOwner(protocol.Bytes32(c.OwnerPublicKey), p.Hash(), req.Signature); err != nil {
		return err
	}
	f := store.Farmer{LauncherID: store.Key(p.LauncherID), ContractID: c.ID, AuthPublicKey: store.Key(p.AuthenticationPublicKey),
		PayoutAddress: p.PayoutInstructions, Difficulty: diff, IsMember: true, JoinedAt: now.Unix()}
	if err := s.store.AddFarmer(r.Context(), f); errors.Is(err, store.ErrFarmerExists) {
		return protocol.Errorf(protocol.FarmerAlreadyKnown, "farmer %s is already known", p.LauncherID)
	} else if err != nil {
		return protocol.Errorf(protocol.ServerException, "%v", err)
	}
	s.log.Info("farmer joined", logKeyLauncher, p.LauncherID.Hex(), "contract", c.ID, "difficulty", diff)
	return writeJSON(w, protocol.PostFarmerResponse{WelcomeMessage: s.cfg.Pool.WelcomeMessage})
}

func (s *Server) handlePutFarmer(w http.ResponseWriter, r *http.Request) error {
	now := s.clock.Now()
	req, err := protocol.DecodePutFarmer(r.Body, s.cfg.Limits.MaxBodyBytes)
	if err != nil {
		return err
	}
	p := &req.Payload
	lid := store.Key(p.LauncherID)
	if err := protocol.CheckAuthToken(p.AuthenticationToken, now, s.cfg.Pool.AuthTokenTimeout); err != nil {
		return err
	}
	f, err := s.store.Farmer(r.Context(), lid)
	if errors.Is(err, store.ErrNotFound) {
		return protocol.Errorf(protocol.FarmerNotKnown, "farmer %s is not known", p.LauncherID)
	} else if err != nil {
		return protocol.Errorf(protocol.ServerException, "%v", err)
	}
	if cd := s.cfg.Pool.DifficultyCooldown.D(); f.UpdatedAt != 0 && now.Unix() < f.UpdatedAt+int64(cd.Seconds()) {
		return protocol.Errorf(protocol.RequestFailed, "farmer %s was updated less than %s ago: wait for the cooldown", p.LauncherID, cd)
	}
	c, err := s.checkContract(r.Context(), p.LauncherID)
	if err != nil {
		return err
	}
	if err := protocol.VerifyOwner(protocol.Bytes32(c.OwnerPublicKey), p.Hash(), req.Signature); err != nil {
		return err
	}
	if p.PayoutInstructions != nil {
		if err := s.checkPayoutAddress(*p.PayoutInstructions); err != nil {
			return err
		}
	}
	var u store.FarmerUpdate
	var resp protocol.PutFarmerResponse
	yes, no := true, false
	if p.AuthenticationPublicKey != nil {
		k := store.Key(*p.AuthenticationPublicKey)
		u.AuthPublicKey = &k
		resp.AuthenticationPublicKey = pick(k != f.AuthPublicKey, &yes, &no)
	}
	if p.PayoutInstructions != nil {
		u.PayoutAddress = p.PayoutInstructions
		resp.PayoutInstructions = pick(*p.PayoutInstructions != f.PayoutAddress, &yes, &no)
	}
	if p.SuggestedDifficulty != nil {
		ok := *p.SuggestedDifficulty >= s.cfg.Pool.MinDifficulty && *p.SuggestedDifficulty != f.Difficulty
		resp.SuggestedDifficulty = pick(ok, &yes, &no)
		if ok {
			at := now.Add(s.cfg.Pool.DifficultyCooldown.D()).Unix()
			u.PendingDifficulty, u.PendingDifficultyAt = p.SuggestedDifficulty, &at
		}
	}
	ts := now.Unix()
	u.UpdatedAt = &ts
	if err := s.store.UpdateFarmer(r.Context(), lid, u); err != nil {
		return protocol.Errorf(protocol.ServerException, "%v", err)
	}
	s.farmers.invalidate(lid)
	s.log.Info("farmer updated", logKeyLauncher, p.LauncherID.Hex())
	return writeJSON(w, resp)
}

func pick[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}

// authenticate checks a GET /farmer or GET /login query and returns the farmer.
func (s *Server) authenticate(r *http.Request, method string) (store.Farmer, error) {
	q, err := protocol.ParseAuthQuery(r.URL.Query())
	if err != nil {
		return store.Farmer{}, err
	}
	if err := protocol.CheckAuthToken(q.AuthenticationToken, s.clock.Now(), s.cfg.Pool.AuthTokenTimeout); err != nil {
		return store.Farmer{}, err
	}
	f, err := s.store.Farmer(r.Context(), store.Key(q.LauncherID))
	if errors.Is(err, store.ErrNotFound) {
		return f, protocol.Errorf(protocol.FarmerNotKnown, "farmer %s is not known", q.LauncherID)
	} else if err != nil {
		return f, protocol.Errorf(protocol.ServerException, "%v", err)
	}
	ap := protocol.AuthenticationPayload{MethodName: method, LauncherID: q.LauncherID, TargetPuzzleHash: s.cfg.Pool.Address,
		AuthenticationToken: q.AuthenticationToken}
	if err := protocol.VerifyAuth(&ap, protocol.Bytes32(f.AuthPublicKey), q.Signature); err != nil {
		return f, err
	}
	return f, nil
}

func (s *Server) handleGetFarmer(w http.ResponseWriter, r *http.Request) error {
	f, err := s.authenticate(r, protocol.MethodGetFarmer)
	if err != nil {
		return err
	}
	return writeJSON(w, protocol.GetFarmerResponse{AuthenticationPublicKey: protocol.Bytes32(f.AuthPublicKey),
		PayoutInstructions: f.PayoutAddress, CurrentDifficulty: f.Difficulty, CurrentPoints: f.Points})
}
