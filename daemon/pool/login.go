package pool

import (
	"html/template"
	"math/big"
	"net/http"
	"time"

	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/daemon/pool/store"
)

// LoginPage is what GET /login shows a farmer.
type LoginPage struct {
	Pool           string
	LauncherID     string
	PayoutAddress  string
	Member         bool
	Difficulty     uint64
	Points         uint64
	Balance        uint64
	Denom          string
	EstimatedSpace string
	Partials       []LoginPartial
	Errors         []LoginError
	Payouts        []LoginPayout
}

// LoginPartial is one accepted partial.
type LoginPartial struct {
	Time       string
	Difficulty uint64
	Plot       string
}

// LoginError is one rejected partial.
type LoginError struct {
	Time    string
	Code    int
	Message string
}

// LoginPayout is one payout.
type LoginPayout struct {
	Time   string
	Amount uint64
	State  string
	Tx     string
}

var loginTemplate = template.Must(template.New("login").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Pool}}: farmer {{.LauncherID}}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body>
<h1>{{.Pool}}</h1>
<p>Farmer <code>{{.LauncherID}}</code>{{if not .Member}} — <strong>not a member</strong>{{end}}</p>
<table>
<tr><th>Points since the last payout</th><td>{{.Points}}</td></tr>
<tr><th>Difficulty</th><td>{{.Difficulty}}</td></tr>
<tr><th>Estimated space</th><td>{{.EstimatedSpace}}</td></tr>
<tr><th>Unpaid balance</th><td>{{.Balance}} {{.Denom}}</td></tr>
<tr><th>Payout address</th><td><code>{{.PayoutAddress}}</code></td></tr>
</table>
<h2>Recent partials</h2>
<table><tr><th>time</th><th>difficulty</th><th>plot</th></tr>
{{range .Partials}}<tr><td>{{.Time}}</td><td>{{.Difficulty}}</td><td><code>{{.Plot}}</code></td></tr>{{else}}<tr><td colspan="3">none yet</td></tr>{{end}}
</table>
<h2>Refused partials</h2>
<table><tr><th>time</th><th>code</th><th>error</th></tr>
{{range .Errors}}<tr><td>{{.Time}}</td><td>{{.Code}}</td><td>{{.Message}}</td></tr>{{else}}<tr><td colspan="3">none</td></tr>{{end}}
</table>
<h2>Payouts</h2>
<table><tr><th>time</th><th>amount</th><th>state</th><th>transaction</th></tr>
{{range .Payouts}}<tr><td>{{.Time}}</td><td>{{.Amount}} {{$.Denom}}</td><td>{{.State}}</td><td><code>{{.Tx}}</code></td></tr>{{else}}<tr><td colspan="4">none yet</td></tr>{{end}}
</table>
</body></html>
`))

const loginPartials = 20

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	f, err := s.authenticate(r, protocol.MethodGetLogin)
	if err != nil {
		return err
	}
	page, err := s.loginPage(r, f)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return loginTemplate.Execute(w, page)
}

func (s *Server) loginPage(r *http.Request, f store.Farmer) (*LoginPage, error) {
	ps, err := s.store.RecentPartials(r.Context(), f.LauncherID, s.cfg.Pool.DifficultyCount)
	if err != nil {
		return nil, protocol.Errorf(protocol.ServerException, "%v", err)
	}
	pays, err := s.store.FarmerPayouts(r.Context(), f.LauncherID, 20)
	if err != nil {
		return nil, protocol.Errorf(protocol.ServerException, "%v", err)
	}
	page := &LoginPage{Pool: s.cfg.Pool.Name, LauncherID: protocol.Bytes32(f.LauncherID).String(), PayoutAddress: f.PayoutAddress,
		Member: f.IsMember, Difficulty: f.Difficulty, Points: f.Points, Balance: f.Balance, Denom: s.cfg.Payout.Denom,
		EstimatedSpace: formatBytes(s.estimateSpace(ps, s.clock.Now()))}
	for i, p := range ps {
		if i == loginPartials {
			break
		}
		page.Partials = append(page.Partials, LoginPartial{Time: time.Unix(p.Timestamp, 0).UTC().Format(time.RFC3339),
			Difficulty: p.Difficulty, Plot: protocol.Bytes32(p.PlotID).Hex()[:16]})
	}
	if e, ok := s.farmers.peek(f.LauncherID); ok {
		e.mu.Lock()
		for i := len(e.errors) - 1; i >= 0; i-- {
			pe := e.errors[i]
			page.Errors = append(page.Errors, LoginError{Time: pe.At.UTC().Format(time.RFC3339), Code: pe.Code, Message: pe.Message})
		}
		e.mu.Unlock()
	}
	for _, p := range pays {
		page.Payouts = append(page.Payouts, LoginPayout{Time: time.Unix(p.CreatedAt, 0).UTC().Format(time.RFC3339),
			Amount: p.Amount, State: p.State.String(), Tx: p.TxHash})
	}
	return page, nil
}

// estimateSpace estimates a farmer's plot space in bytes from its recent partials. A plot of
// S bytes at difficulty d passes a partial at a signage point with probability
// 2^−filter · L · S / (d · DCF) (L = sub_slot_iters / sps_per_sub_slot), earning d points, so
// the expected points per signage point are S · L / (DCF · 2^filter), independent of d; hence
// S = points · DCF · 2^filter / (L · signage points in the window). The window runs from the
// oldest partial considered to now.
func (s *Server) estimateSpace(ps []store.Partial, now time.Time) *big.Int {
	if len(ps) == 0 {
		return new(big.Int)
	}
	window := now.Unix() - ps[len(ps)-1].Timestamp
	sps := window * int64(time.Second) / int64(s.cfg.Proof.SPInterval.D())
	if sps < 1 {
		sps = 1
	}
	var points uint64
	for _, p := range ps {
		points += p.Difficulty
	}
	n := new(big.Int).SetUint64(points)
	n.Mul(n, s.iters.DifficultyConstantFactor)
	n.Lsh(n, uint(s.params.PlotFilterBits))
	d := new(big.Int).SetUint64(s.iters.SPIntervalIters())
	d.Mul(d, big.NewInt(sps))
	return n.Quo(n, d)
}

// formatBytes writes a byte count with a binary unit, in integers (one decimal).
func formatBytes(b *big.Int) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := new(big.Int).Mul(b, big.NewInt(10))
	i := 0
	lim := big.NewInt(1024 * 10)
	for i < len(units)-1 && v.Cmp(lim) >= 0 {
		v.Rsh(v, 10)
		i++
	}
	q, r := new(big.Int).QuoRem(v, big.NewInt(10), new(big.Int))
	return q.String() + "." + r.String() + " " + units[i]
}
