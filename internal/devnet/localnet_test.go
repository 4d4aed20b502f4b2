package devnet

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func TestNetValidateBasic(t *testing.T) {
	ok := DefaultNet(t.TempDir())
	if err := ok.ValidateBasic(); err != nil {
		t.Fatalf("default net: %v", err)
	}
	for name, edit := range map[string]func(*Net){
		"no validators":        func(n *Net) { n.Validators = 0 },
		"too many validators":  func(n *Net) { n.Validators = MaxValidators + 1 },
		"low base port":        func(n *Net) { n.BasePort = 80 },
		"base port overflows":  func(n *Net) { n.BasePort = 65500 },
		"proxy overlaps nodes": func(n *Net) { n.ProxyBase = n.BasePort + 5 },
		"zero block time":      func(n *Net) { n.BlockTime = 0 },
		"empty chain id":       func(n *Net) { n.ChainID = "" },
	} {
		t.Run(name, func(t *testing.T) {
			n := ok
			edit(&n)
			if err := n.ValidateBasic(); !errors.Is(err, ErrConfig) {
				t.Fatalf("want ErrConfig, got %v", err)
			}
		})
	}
}

func TestNetPortsAndKeys(t *testing.T) {
	n := DefaultNet("/x")
	n.ProxyBase = 40000
	seen := map[string]bool{}
	for i := 0; i < n.Validators; i++ {
		c := n.Node(i)
		for _, a := range []string{c.P2P, c.RPC, c.GRPC, c.API} {
			if seen[a] {
				t.Fatalf("address %s used twice", a)
			}
			seen[a] = true
		}
		if c.Home != filepath.Join("/x", "node"+strconv.Itoa(i)) {
			t.Fatalf("node %d home %s", i, c.Home)
		}
	}
	if n.Node(1).RPC != "127.0.0.1:26711" || n.ProxyPort(2, 3) != 40000+2*4+3 {
		t.Fatalf("ports: rpc1 %s, proxy(2,3) %d", n.Node(1).RPC, n.ProxyPort(2, 3))
	}
	if ValidatorKey(0) != Validator || ValidatorKey(2) != "validator2" {
		t.Fatalf("validator keys %s %s", ValidatorKey(0), ValidatorKey(2))
	}
	if err := n.CheckNode(4); !errors.Is(err, ErrNodeIndex) {
		t.Fatalf("node 4 of 4: %v", err)
	}
}

// TestNodePID: a pid file counts only while its process is alive and names the node's home; a
// dead process (even an unreaped zombie) and a foreign process are not running.
func TestNodePID(t *testing.T) {
	n := DefaultNet(t.TempDir())
	if err := os.MkdirAll(n.NodeHome(0), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, running := n.NodePID(0); running {
		t.Fatal("no pid file: not running")
	}
	cmd := exec.Command("sh", "-c", "sleep 30", "sh", n.NodeHome(0))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	write := func(pid int) {
		if err := os.WriteFile(n.pidPath(0), []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(cmd.Process.Pid)
	if pid, running := n.NodePID(0); !running || pid != cmd.Process.Pid {
		t.Fatalf("live process: pid %d running %v", pid, running)
	}
	_ = cmd.Process.Kill()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, running := n.NodePID(0); !running {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, running := n.NodePID(0); running {
		t.Fatal("killed (zombie, not yet reaped) process counts as running")
	}
	_ = cmd.Wait()
	write(os.Getpid()) // this test binary: alive, but not the node
	if _, running := n.NodePID(0); running {
		t.Fatal("a foreign process counts as the node")
	}
}
