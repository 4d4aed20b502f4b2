package pool

import (
	"net/http"
	"strconv"

	"github.com/guild-network/guild/daemon/pool/protocol"
)

// Bounds of GET /payouts' limit parameter.
const (
	defaultRoundsLimit = 20
	maxRoundsLimit     = 200
)

// handleRounds serves GET /payouts?limit=N: the newest payout rounds with every farmer's points
// and credit (public, as a pool's payout page is).
func (s *Server) handleRounds(w http.ResponseWriter, r *http.Request) error {
	limit := defaultRoundsLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxRoundsLimit {
			return protocol.Errorf(protocol.RequestFailed, "limit: want 1 to %d, got %q", maxRoundsLimit, v)
		}
		limit = n
	}
	rounds, err := s.store.Rounds(r.Context(), limit)
	if err != nil {
		return err
	}
	out := protocol.Rounds{Rounds: make([]protocol.Round, 0, len(rounds))}
	for _, rd := range rounds {
		pr := protocol.Round{ID: rd.ID, CreatedAt: rd.CreatedAt, Scheme: string(rd.Scheme), WindowStart: rd.WindowStart,
			FeeBps: rd.FeeBps, Total: rd.Total, Fee: rd.Fee, Credited: rd.Credited, Dust: rd.Dust,
			Shares: make([]protocol.RoundShare, 0, len(rd.Shares))}
		for _, sh := range rd.Shares {
			pr.Shares = append(pr.Shares, protocol.RoundShare{LauncherID: protocol.Bytes32(sh.LauncherID), Points: sh.Points, Credit: sh.Credit})
		}
		out.Rounds = append(out.Rounds, pr)
	}
	return writeJSON(w, out)
}
