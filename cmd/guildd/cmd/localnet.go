package cmd

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/guild-network/guild/internal/devnet"
)

const (
	flagValidators       = "validators"
	flagBasePort         = "base-port"
	flagSnapshotInterval = "snapshot-interval"
	flagSnapshotKeep     = "snapshot-keep-recent"
	flagProxyBase        = "p2p-proxy-base"
	flagDetach           = "detach"
	flagStopTimeout      = "timeout"
	flagPprof            = "pprof"
)

func init() { extraCommands = append(extraCommands, NewLocalnetCmd) }

// NewLocalnetCmd returns `guildd localnet`: a multi-validator network on loopback.
func NewLocalnetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "localnet",
		Short: "run a local multi-validator guild network (one process per validator) with the demo accounts and services",
		Long: `run a local multi-validator guild network on 127.0.0.1.

Each validator is a separate "guildd start" process with its own home (<home>/node<i>), ports
(node i listens on base-port+10i: p2p +0, rpc +1, grpc +2, rest +3), log (<home>/node<i>/node.log)
and pid file. The localnet home also holds the test keyring with the same demo accounts as
"guildd dev", and a client config that points at node 0, so "guildd query … --home <home>" works.
A validator that crashes is not restarted: "guildd localnet start-node <i>" starts it again.`,
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
	}
	cmd.PersistentFlags().String(flags.FlagHome, localnetHome(), "localnet home: node homes, test keyring, client config, service data")
	cmd.AddCommand(newLocalnetStartCmd(), newLocalnetStopCmd(), newLocalnetStatusCmd(),
		newLocalnetStartNodeCmd(), newLocalnetStopNodeCmd())
	return cmd
}

// localnetHome is the default localnet home, ~/.guild-localnet.
func localnetHome() string { return filepath.Join(filepath.Dir(DefaultNodeHome), ".guild-localnet") }

func localnetHomeFlag(cmd *cobra.Command) (string, error) {
	home, _ := cmd.Flags().GetString(flags.FlagHome)
	return filepath.Abs(home)
}

// readLocalnet reads the localnet description from the --home flag's directory.
func readLocalnet(cmd *cobra.Command) (devnet.Net, error) {
	home, err := localnetHomeFlag(cmd)
	if err != nil {
		return devnet.Net{}, err
	}
	return devnet.ReadNet(home)
}

func newLocalnetStartCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "start",
		Short: "create (first run) or resume the localnet, start every validator that is not running, then run the demo services",
		Long: `create the localnet on the first run (or with --reset), or resume it; start every validator
that is not running; wait for a new block; run the demo setup (provider, offers, vault, credit,
farming, as guildd dev does). Without --detach the command then stays in the foreground running the
demo services against node 0 and reporting validators that stop; Ctrl-C (or "guildd localnet stop")
stops the services and every validator. With --detach it returns once the chain is live and the
demo setup is done, leaving the validators running (no services).

--validators, --chain-id, --base-port, --snapshot-* and --p2p-proxy-base apply when the network is
created; a resumed network keeps the values recorded in <home>/localnet.json.`,
		Args: cobra.NoArgs,
		RunE: runLocalnetStart,
	}
	def := devnet.DefaultNet("")
	f := cmd.Flags()
	f.Int(flagValidators, def.Validators, "number of validators of a new localnet")
	f.Bool(flagReset, false, "delete the localnet home and create a new network")
	f.Duration(flagBlockTime, def.BlockTime, "target time between blocks of a new localnet")
	f.String(flagChainID, def.ChainID, "chain id of a new localnet")
	f.Int(flagBasePort, def.BasePort, "first port of a new localnet: node i uses base-port+10i .. +3")
	f.Uint64(flagSnapshotInterval, def.SnapshotInterval, "state-sync snapshot every this many blocks (0: off)")
	f.Uint32(flagSnapshotKeep, def.SnapshotKeepRecent, "state-sync snapshots to keep")
	f.Int(flagProxyBase, 0, "route each peer link i→j through 127.0.0.1:(p2p-proxy-base + i×validators + j), for partition tests that run the proxies (0: direct links)")
	f.Bool(flagDetach, false, "return once the chain is live, leaving the validators running without services")
	f.String(flagNodeLog, "info", "log level of the validators (debug, info, warn, error)")
	f.StringSlice(flagWithout, nil, "services not to start, e.g. --without agent,farmer")
	f.String(flagParams, "", `json file of module parameters for a new localnet, e.g. {"market":{"grace_period":"60"}}`)
	f.Bool(flagCORS, false, "let web pages on any origin call the rest api")
	f.Bool(flagPprof, false, "serve go's pprof on every node of a new localnet, node i at base-port+10i+4")
	for _, add := range devFlags {
		add(f)
	}
	return cmd
}

func localnetFromFlags(cmd *cobra.Command, home string) (devnet.Net, error) {
	n := devnet.DefaultNet(home)
	f := cmd.Flags()
	n.Validators, _ = f.GetInt(flagValidators)
	n.BlockTime, _ = f.GetDuration(flagBlockTime)
	n.ChainID, _ = f.GetString(flagChainID)
	n.BasePort, _ = f.GetInt(flagBasePort)
	n.SnapshotInterval, _ = f.GetUint64(flagSnapshotInterval)
	n.SnapshotKeepRecent, _ = f.GetUint32(flagSnapshotKeep)
	n.ProxyBase, _ = f.GetInt(flagProxyBase)
	n.CORS, _ = f.GetBool(flagCORS)
	n.Pprof, _ = f.GetBool(flagPprof)
	return n, n.ValidateBasic()
}

func runLocalnetStart(cmd *cobra.Command, _ []string) error {
	out := cmd.OutOrStdout()
	home, err := localnetHomeFlag(cmd)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("locate guildd binary: %w", err)
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	reset, _ := cmd.Flags().GetBool(flagReset)
	var n devnet.Net
	if reset || !devnet.NetInitialized(home) {
		if devnet.NetInitialized(home) {
			if old, err := devnet.ReadNet(home); err == nil {
				if err := stopLocalnet(cmd, old, 30*time.Second); err != nil {
					return err
				}
			}
		}
		if n, err = localnetFromFlags(cmd, home); err != nil {
			return err
		}
		patches := devGenesisPatches
		if file, _ := cmd.Flags().GetString(flagParams); file != "" {
			patch, err := devnet.ParamsFilePatch(file)
			if err != nil {
				return err
			}
			patches = append(patches, patch)
		}
		if err := devnet.InitNet(ctx, exe, n, out, patches...); err != nil {
			return err
		}
	} else {
		if n, err = devnet.ReadNet(home); err != nil {
			return err
		}
		if pid, ok := n.SupervisorPID(); ok {
			return fmt.Errorf("the localnet in %s is already supervised by guildd localnet start (pid %d): use start-node to start a stopped validator", home, pid)
		}
		if err := devnet.WriteNetConfig(n); err != nil {
			return err
		}
		fmt.Fprintf(out, "resuming the %d-validator localnet in %s\n", n.Validators, home)
	}
	node0 := n.Node(0)
	info, err := devInfo(cmd, devnet.Config{Home: home, ChainID: n.ChainID, RPC: node0.RPC, GRPC: node0.GRPC, API: node0.API})
	if err != nil {
		return err
	}
	if err := devnet.WriteInfo(info); err != nil {
		return err
	}

	logLevel, _ := cmd.Flags().GetString(flagNodeLog)
	var procs []*exec.Cmd
	for i := 0; i < n.Validators; i++ {
		p, started, err := n.StartNode(exe, i, logLevel)
		if err != nil {
			return err
		}
		if started {
			fmt.Fprintf(out, "guildd localnet: node %d started (pid %d, rpc http://%s, log %s)\n", i, p.Process.Pid, n.Node(i).RPC, n.NodeLog(i))
			procs = append(procs, p)
		} else {
			pid, _ := n.NodePID(i)
			fmt.Fprintf(out, "guildd localnet: node %d already running (pid %d)\n", i, pid)
		}
	}
	printBanner(out, info, displayPath(exe))

	if detach, _ := cmd.Flags().GetBool(flagDetach); detach {
		for _, p := range procs {
			_ = p.Process.Release()
		}
		height, err := waitForNewBlock(ctx, node0.RPC)
		if err != nil {
			return fmt.Errorf("waiting for the first block (see %s): %w", n.NodeLog(0), err)
		}
		env := DevEnv{Exe: exe, Info: info, Log: out, Flags: cmd.Flags(), Prefix: "guildd localnet"}
		for _, f := range devAfterLive {
			if err := f(ctx, env); err != nil {
				fmt.Fprintf(out, "guildd localnet: demo setup: %v\n", err)
			}
		}
		fmt.Fprintf(out, "guildd localnet: block %d committed, the chain is live (guildd localnet stop --home %s stops it)\n", height, home)
		return nil
	}
	return superviseLocalnet(ctx, cmd, n, exe, info, procs)
}

// superviseLocalnet runs the demo services against node 0 and reports validators that exit,
// without restarting them, until ctx ends; then it stops the services and every validator.
func superviseLocalnet(ctx context.Context, cmd *cobra.Command, n devnet.Net, exe string, info devnet.Info, procs []*exec.Cmd) error {
	out := cmd.OutOrStdout()
	if err := n.WriteSupervisorPID(); err != nil {
		return err
	}
	defer n.RemoveSupervisorPID()
	for _, p := range procs {
		go func() { _ = p.Wait() }() // reap; the watch loop below reports the exit
	}
	var wg sync.WaitGroup
	svcCtx, cancelSvcs := context.WithCancel(ctx)
	without, _ := cmd.Flags().GetStringSlice(flagWithout)
	wg.Add(1)
	go func() {
		defer wg.Done()
		runDevServices(svcCtx, DevEnv{Exe: exe, Info: info, Log: out, Flags: cmd.Flags(), Prefix: "guildd localnet"}, without)
	}()
	running := make([]bool, n.Validators)
	for i := range running {
		_, running[i] = n.NodePID(i)
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-t.C:
			for i := range running {
				pid, now := n.NodePID(i)
				switch {
				case running[i] && !now:
					fmt.Fprintf(out, "guildd localnet: node %d stopped; not restarted (guildd localnet start-node %d starts it)\n", i, i)
				case !running[i] && now:
					fmt.Fprintf(out, "guildd localnet: node %d running (pid %d)\n", i, pid)
				}
				running[i] = now
			}
		}
	}
	cancelSvcs()
	wg.Wait()
	err := stopLocalnetNodes(cmd, n, 30*time.Second)
	fmt.Fprintln(out, "guildd localnet: stopped")
	return err
}

func newLocalnetStopCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stop",
		Short: "stop the localnet: its foreground supervisor (if any), its services and every validator",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, err := readLocalnet(cmd)
			if err != nil {
				return err
			}
			timeout, _ := cmd.Flags().GetDuration(flagStopTimeout)
			return stopLocalnet(cmd, n, timeout)
		},
	}
	cmd.Flags().Duration(flagStopTimeout, 30*time.Second, "time each process gets to exit before it is killed")
	return cmd
}

func stopLocalnet(cmd *cobra.Command, n devnet.Net, timeout time.Duration) error {
	if pid, ok := n.SupervisorPID(); ok {
		_ = syscall.Kill(pid, syscall.SIGTERM)
		deadline := time.Now().Add(timeout + 5*time.Second)
		for time.Now().Before(deadline) {
			if _, ok := n.SupervisorPID(); !ok {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "guildd localnet: supervisor (pid %d) stopped\n", pid)
	}
	return stopLocalnetNodes(cmd, n, timeout)
}

func stopLocalnetNodes(cmd *cobra.Command, n devnet.Net, timeout time.Duration) error {
	var wg sync.WaitGroup
	errs := make([]error, n.Validators)
	stopped := make([]bool, n.Validators)
	for i := 0; i < n.Validators; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stopped[i], errs[i] = n.StopNode(i, timeout)
		}()
	}
	wg.Wait()
	for i := range errs {
		if stopped[i] {
			fmt.Fprintf(cmd.OutOrStdout(), "guildd localnet: node %d stopped\n", i)
		}
		if errs[i] != nil {
			return errs[i]
		}
	}
	return nil
}

func nodeIndexArg(n devnet.Net, arg string) (int, error) {
	i, err := strconv.Atoi(arg)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is not a node index", devnet.ErrNodeIndex, arg)
	}
	return i, n.CheckNode(i)
}

func newLocalnetStartNodeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "start-node <index>",
		Short: "start one validator of the localnet (after a stop or a crash); nothing happens if it is running",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := readLocalnet(cmd)
			if err != nil {
				return err
			}
			i, err := nodeIndexArg(n, args[0])
			if err != nil {
				return err
			}
			exe, err := os.Executable()
			if err != nil {
				return err
			}
			if err := devnet.WriteNetConfig(n); err != nil {
				return err
			}
			logLevel, _ := cmd.Flags().GetString(flagNodeLog)
			p, started, err := n.StartNode(exe, i, logLevel)
			if err != nil {
				return err
			}
			if !started {
				pid, _ := n.NodePID(i)
				fmt.Fprintf(cmd.OutOrStdout(), "node %d already running (pid %d)\n", i, pid)
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "node %d started (pid %d)\n", i, p.Process.Pid)
			return p.Process.Release()
		},
	}
	cmd.Flags().String(flagNodeLog, "info", "log level of the validator")
	return cmd
}

func newLocalnetStopNodeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stop-node <index>",
		Short: "stop one validator of the localnet (SIGTERM, then SIGKILL after --timeout)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := readLocalnet(cmd)
			if err != nil {
				return err
			}
			i, err := nodeIndexArg(n, args[0])
			if err != nil {
				return err
			}
			timeout, _ := cmd.Flags().GetDuration(flagStopTimeout)
			was, err := n.StopNode(i, timeout)
			if err != nil {
				return err
			}
			if was {
				fmt.Fprintf(cmd.OutOrStdout(), "node %d stopped\n", i)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "node %d was not running\n", i)
			}
			return nil
		},
	}
	cmd.Flags().Duration(flagStopTimeout, 30*time.Second, "time the node gets to exit before it is killed")
	return cmd
}
