package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/devnet"
)

// agentParams: 10 s of cover to book, a minute of grace, so that running out of funds and
// topping up show within a test.
const agentParams = `{"market":{"min_cover":"10","grace_period":"60","provider_notice":"5","deploy_timeout":"600"}}`

// The demo provider's offers (cmd/guildd/cmd/dev_market.go): 1 is a VM offer (→ process
// driver), 2 a volume offer of 1 GiB per unit.
const (
	vmOffer     = "1"
	volumeOffer = "2"
	volumeData  = `{"driver":"volume"}`
	// The process appends its pid to started on every start and ticks beat.
	processData = `{"driver":"process","command":["sh","-c","echo $$ >> started; while true; do date +%s%N > beat; sleep 0.2; done"],"restart":"always"}`
)

// agentFlow is a tenant's two leases on the demo node and what the test knows of them.
type agentFlow struct {
	t              *testing.T
	d              *Devnet
	volume, proc   string // lease ids
	volBook, pBook int64  // heights of the booking transactions
}

func startAgentDevnet(t *testing.T) *Devnet {
	file := filepath.Join(t.TempDir(), "params.json")
	require.NoError(t, os.WriteFile(file, []byte(agentParams), 0o644))
	var d *Devnet
	// Registered before StartDevnet's own cleanup, so it runs after the devnet stopped: no
	// workload process may outlive the test, whatever happened.
	t.Cleanup(func() {
		if d != nil {
			killWorkloads(d.Home)
		}
	})
	d = StartDevnet(t, Options{BlockTime: time.Second, ExtraArgs: []string{"--genesis-params", file}})
	waitAgentHealthy(t, d)
	return d
}

// book deposits funds for about 40 s of both leases and books them.
func book(t *testing.T, d *Devnet) *agentFlow {
	f := &agentFlow{t: t, d: d}
	d.Tx(devnet.Tenant, "market", "deposit", "120uusdc") // 40 s at the demo prices: 1 (a GiB of volume) + 2 (a VM unit) uusdc/s
	res := d.Tx(devnet.Tenant, "market", "book", volumeOffer, "1", deploymentHash(volumeData), volumeData)
	f.volume, f.volBook = res.Attr("guild.market.v1.EventLeaseCreated", "lease_id"), atoi(t, res.Height)
	res = d.Tx(devnet.Tenant, "market", "book", vmOffer, "1", deploymentHash(processData), processData)
	f.proc, f.pBook = res.Attr("guild.market.v1.EventLeaseCreated", "lease_id"), atoi(t, res.Height)
	require.NotEmpty(t, f.volume)
	require.NotEmpty(t, f.proc)
	return f
}

func (f *agentFlow) waitState(state string, timeout time.Duration) {
	f.t.Helper()
	for _, id := range []string{f.volume, f.proc} {
		waitFor(f.t, "lease "+id+" "+state, timeout, func() bool { return f.d.lease(f.t, id).State == state })
	}
}

// checkRunning checks the volume is writable with its booked size and the process is alive,
// not stopped, and was started exactly once (so never duplicated).
func (f *agentFlow) checkRunning(wantPID int) int {
	f.t.Helper()
	path := f.volumePath()
	waitFor(f.t, "volume writable", 20*time.Second, func() bool {
		fi, err := os.Stat(path)
		return err == nil && fi.Mode().Perm() == 0o644
	})
	fi, err := os.Stat(path)
	require.NoError(f.t, err)
	require.EqualValues(f.t, 1<<30, fi.Size(), "the volume has the booked size (1 unit × 1 GiB)")
	var pid int
	waitFor(f.t, "process running", 20*time.Second, func() bool {
		pid = f.pid()
		s := procState(pid)
		return s == 'R' || s == 'S' || s == 'D'
	})
	if wantPID != 0 {
		require.Equal(f.t, wantPID, pid, "the same process: adopted, not restarted")
	}
	require.Equal(f.t, []string{strconv.Itoa(pid)}, f.started(), "started exactly once")
	beat := filepath.Join(f.procDir(), "work", "beat")
	b0, _ := os.ReadFile(beat)
	waitFor(f.t, "process ticking", 10*time.Second, func() bool {
		b, _ := os.ReadFile(beat)
		return len(b) > 0 && string(b) != string(b0)
	})
	return pid
}

// checkPaused checks the volume is read-only and the process group is stopped.
func (f *agentFlow) checkPaused(pid int) {
	f.t.Helper()
	waitFor(f.t, "volume read-only", 20*time.Second, func() bool {
		fi, err := os.Stat(f.volumePath())
		return err == nil && fi.Mode().Perm() == 0o444
	})
	waitFor(f.t, "process stopped", 20*time.Second, func() bool { return procState(pid) == 'T' })
	require.Equal(f.t, pid, f.pid())
	require.Len(f.t, f.started(), 1)
}

// checkGone checks both workloads and their data are gone.
func (f *agentFlow) checkGone(pid int) {
	f.t.Helper()
	waitFor(f.t, "volume deleted", 20*time.Second, func() bool {
		_, err := os.Stat(filepath.Dir(f.volumePath()))
		return os.IsNotExist(err)
	})
	waitFor(f.t, "process directory deleted", 20*time.Second, func() bool {
		_, err := os.Stat(f.procDir())
		return os.IsNotExist(err)
	})
	s := procState(pid)
	require.True(f.t, s == 0 || s == 'Z', "process %d still there (state %q)", pid, s)
}

func (f *agentFlow) volumePath() string {
	var res struct {
		Lease struct {
			DeployInfo string `json:"deploy_info"`
		} `json:"lease"`
	}
	f.d.Query(&res, "market", "lease", f.volume)
	var info struct {
		Path string `json:"path"`
		UUID string `json:"uuid"`
	}
	require.NoError(f.t, json.Unmarshal([]byte(res.Lease.DeployInfo), &info), res.Lease.DeployInfo)
	require.NotEmpty(f.t, info.UUID)
	return info.Path
}

func (f *agentFlow) procDir() string { return filepath.Join(f.d.Home, "agent", "process", f.proc) }

func (f *agentFlow) pid() int {
	bz, err := os.ReadFile(filepath.Join(f.procDir(), "pid"))
	if err != nil {
		return 0
	}
	var p struct {
		PID int `json:"pid"`
	}
	_ = json.Unmarshal(bz, &p)
	return p.PID
}

func (f *agentFlow) started() []string {
	bz, _ := os.ReadFile(filepath.Join(f.procDir(), "work", "started"))
	return strings.Fields(string(bz))
}

// logDeployBlocks reports how many blocks after its booking each lease was reported DEPLOYED,
// from the agent's log and the booking transactions' heights.
func (f *agentFlow) logDeployBlocks() map[string]int64 {
	f.t.Helper()
	out := map[string]int64{}
	file, err := os.Open(filepath.Join(f.d.Home, "agent", "agent.log"))
	require.NoError(f.t, err)
	defer file.Close()
	sc := bufio.NewScanner(file)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l struct {
			Msg    string `json:"msg"`
			Lease  int64  `json:"lease"`
			Result string `json:"result"`
			Height int64  `json:"height"`
		}
		if json.Unmarshal(sc.Bytes(), &l) != nil || l.Msg != "lease reported" || l.Result != "deployed" {
			continue
		}
		id := strconv.FormatInt(l.Lease, 10)
		switch id {
		case f.volume:
			out[id] = l.Height - f.volBook
			f.t.Logf("volume lease %s: booked in block %d, reported DEPLOYED in block %d: %d blocks", id, f.volBook, l.Height, out[id])
		case f.proc:
			out[id] = l.Height - f.pBook
			f.t.Logf("process lease %s: booked in block %d, reported DEPLOYED in block %d: %d blocks", id, f.pBook, l.Height, out[id])
		}
	}
	return out
}

// TestAgentLeaseLifecycle: the demo node's agent deploys a volume and a process for a tenant,
// reports them, pauses them when the tenant runs out of funds, resumes them after a top-up
// and tears them down after the tenant cancels.
func TestAgentLeaseLifecycle(t *testing.T) {
	d := startAgentDevnet(t)
	f := book(t, d)
	f.waitState("LEASE_STATE_ACTIVE", 60*time.Second)
	// The agent logs a report after its transaction's inclusion has come back to it, which can
	// be a little after the chain shows the lease active: read the log until both are there.
	blocks := f.logDeployBlocks()
	for deadline := time.Now().Add(20 * time.Second); len(blocks) < 2 && time.Now().Before(deadline); {
		time.Sleep(250 * time.Millisecond)
		blocks = f.logDeployBlocks()
	}
	require.Len(t, blocks, 2)
	for id, n := range blocks {
		require.Positive(t, n)
		// The target is ≤ 3 blocks (1 for a volume, 2–3 for a process on an idle machine); the
		// bound here only catches a broken pipeline, not a loaded CI machine.
		require.LessOrEqual(t, n, int64(10), "lease %s reported %d blocks after booking", id, n)
	}
	pid := f.checkRunning(0)

	// About 40 s of funds run out: GRACE pauses both.
	f.waitState("LEASE_STATE_GRACE", 120*time.Second)
	f.checkPaused(pid)

	// A top-up resumes them: the same process continues.
	d.Tx(devnet.Tenant, "market", "deposit", "20000uusdc")
	f.waitState("LEASE_STATE_ACTIVE", 30*time.Second)
	f.checkRunning(pid)

	// Cancel: torn down, data deleted.
	d.Tx(devnet.Tenant, "market", "cancel", f.volume, "100")
	d.Tx(devnet.Tenant, "market", "cancel", f.proc, "100")
	f.waitState("LEASE_STATE_CLOSED", 30*time.Second)
	f.checkGone(pid)
	require.Contains(t, agentMetrics(t, d), "guild_agent_deploy_latency_blocks_count 2")
}

// TestAgentKill9Converges runs the same flow with the agent killed with SIGKILL at every step
// (sometimes kept down while the chain moves on) and once the whole devnet with it; each time
// the restarted agent converges: nothing deployed twice, nothing leaked, nothing running for a
// closed lease.
func TestAgentKill9Converges(t *testing.T) {
	d := startAgentDevnet(t)

	// Killed right after the bookings, racing its deployments.
	f := book(t, d)
	old := killAgent(t, d, true)
	time.Sleep(2 * time.Second)
	releaseAgent(t, d, old)
	f.waitState("LEASE_STATE_ACTIVE", 60*time.Second)
	pid := f.checkRunning(0)

	// Killed while both run: the new agent adopts the process.
	old = killAgent(t, d, false)
	waitAgentRestarted(t, d, old)
	f.checkRunning(pid)

	// Down while the tenant runs out of funds: paused when it comes back.
	old = killAgent(t, d, true)
	f.waitState("LEASE_STATE_GRACE", 120*time.Second)
	releaseAgent(t, d, old)
	f.checkPaused(pid)

	// Down during the top-up: resumed when it comes back.
	old = killAgent(t, d, true)
	d.Tx(devnet.Tenant, "market", "deposit", "20000uusdc")
	f.waitState("LEASE_STATE_ACTIVE", 30*time.Second)
	releaseAgent(t, d, old)
	f.checkRunning(pid)

	// The whole devnet crashes (node and agent); workloads survive in their own process
	// groups and are adopted after the restart.
	d.Kill9()
	d.Restart()
	waitAgentHealthy(t, d)
	f.checkRunning(pid)

	// Down while the tenant cancels: torn down when it comes back.
	old = killAgent(t, d, true)
	d.Tx(devnet.Tenant, "market", "cancel", f.volume, "100")
	d.Tx(devnet.Tenant, "market", "cancel", f.proc, "100")
	f.waitState("LEASE_STATE_CLOSED", 30*time.Second)
	require.Equal(t, byte('S'), stateSR(procState(pid)), "still running while the agent is down")
	releaseAgent(t, d, old)
	f.checkGone(pid)
	f.logDeployBlocks()
}

// stateSR maps R and D to S so a running-or-sleeping process compares equal to 'S'.
func stateSR(s byte) byte {
	if s == 'R' || s == 'D' {
		return 'S'
	}
	return s
}

func agentDir(d *Devnet) string { return filepath.Join(d.Home, "agent") }

// agentAddr is the health/metrics address the devnet printed last.
func agentAddr(d *Devnet) string {
	const prefix = "guildd dev: agent listening on "
	log := d.Log()
	i := strings.LastIndex(log, prefix)
	if i < 0 {
		return ""
	}
	rest := log[i+len(prefix):]
	return strings.TrimSpace(rest[:strings.IndexByte(rest, '\n')])
}

func agentHealthy(d *Devnet) bool {
	addr := agentAddr(d)
	if addr == "" {
		return false
	}
	resp, err := http.Get(addr + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func waitAgentHealthy(t *testing.T, d *Devnet) {
	t.Helper()
	waitFor(t, "agent healthy", 60*time.Second, func() bool { return agentHealthy(d) })
}

func agentMetrics(t *testing.T, d *Devnet) string {
	resp, err := http.Get(agentAddr(d) + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
	}
	return b.String()
}

func agentPID(d *Devnet) int {
	bz, err := os.ReadFile(filepath.Join(agentDir(d), "agent.pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(bz)))
	return pid
}

// killAgent kills the dev agent with SIGKILL; with hold it stays down until releaseAgent.
func killAgent(t *testing.T, d *Devnet, hold bool) int {
	t.Helper()
	if hold {
		require.NoError(t, os.WriteFile(filepath.Join(agentDir(d), "agent.hold"), nil, 0o644))
	}
	pid := agentPID(d)
	require.Positive(t, pid)
	require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
	waitFor(t, "agent dead", 10*time.Second, func() bool { s := procState(pid); return s == 0 || s == 'Z' })
	t.Logf("agent %d killed with SIGKILL (hold %v)", pid, hold)
	return pid
}

func releaseAgent(t *testing.T, d *Devnet, old int) {
	t.Helper()
	require.NoError(t, os.Remove(filepath.Join(agentDir(d), "agent.hold")))
	waitAgentRestarted(t, d, old)
}

func waitAgentRestarted(t *testing.T, d *Devnet, old int) {
	t.Helper()
	waitFor(t, "agent restarted", 30*time.Second, func() bool { p := agentPID(d); return p != 0 && p != old })
	waitAgentHealthy(t, d)
}

// procState is a process's state letter from /proc (0 if it does not exist).
func procState(pid int) byte {
	if pid <= 0 {
		return 0
	}
	bz, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(bz)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return 0
	}
	return s[i+2]
}

// killWorkloads kills every workload process group the agent left in home.
func killWorkloads(home string) {
	dirs, _ := filepath.Glob(filepath.Join(home, "agent", "process", "*", "pid"))
	for _, p := range dirs {
		bz, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var pf struct {
			PID int `json:"pid"`
		}
		if json.Unmarshal(bz, &pf) == nil && pf.PID > 1 {
			_ = syscall.Kill(-pf.PID, syscall.SIGKILL)
		}
	}
}
