package devnet

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// NodeStatus is what `guildd localnet status` reports about one node.
type NodeStatus struct {
	Index      int    `json:"index"`
	Moniker    string `json:"moniker"`
	NodeID     string `json:"node_id"`
	PID        int    `json:"pid,omitempty"`
	Running    bool   `json:"running"`
	Responding bool   `json:"responding"` // its RPC answered
	RPC        string `json:"rpc"`
	P2P        string `json:"p2p"`
	GRPC       string `json:"grpc"`
	API        string `json:"api"`
	Height     int64  `json:"height"`
	CatchingUp bool   `json:"catching_up"`
	Peers      int    `json:"peers"`
	// AppHash is the node's application hash after the network's common height (the app_hash of
	// block common_height+1 in this node's store, which the node checked against its own state).
	AppHash string `json:"app_hash,omitempty"`
	Error   string `json:"error,omitempty"`
}

// NetStatus is the localnet's status: every node, and the common height at which app hashes
// are compared (the lowest height among responding nodes, less one).
type NetStatus struct {
	ChainID        string       `json:"chain_id"`
	Home           string       `json:"home"`
	CommonHeight   int64        `json:"common_height"`
	AppHashesAgree bool         `json:"app_hashes_agree"`
	Nodes          []NodeStatus `json:"nodes"`
}

// Status asks every node of the localnet for its height, peers and app hash.
func (n Net) Status(ctx context.Context) NetStatus {
	st := NetStatus{ChainID: n.ChainID, Home: n.Home}
	for i := 0; i < n.Validators; i++ {
		cfg := n.Node(i)
		ns := NodeStatus{Index: i, Moniker: cfg.Moniker, RPC: cfg.RPC, P2P: cfg.P2P, GRPC: cfg.GRPC, API: cfg.API}
		ns.NodeID, _ = n.NodeID(i)
		ns.PID, ns.Running = n.NodePID(i)
		if !ns.Running {
			ns.PID = 0
		} else if err := nodeRPCStatus(ctx, cfg.RPC, &ns); err != nil {
			ns.Error = err.Error()
		} else {
			ns.Responding = true
		}
		st.Nodes = append(st.Nodes, ns)
	}
	for _, ns := range st.Nodes {
		if ns.Responding && (st.CommonHeight == 0 || ns.Height-1 < st.CommonHeight) {
			st.CommonHeight = ns.Height - 1
		}
	}
	if st.CommonHeight < 1 {
		return st
	}
	st.AppHashesAgree = true
	first := ""
	for k := range st.Nodes {
		ns := &st.Nodes[k]
		if !ns.Responding {
			continue
		}
		h, err := AppHashAfter(ctx, ns.RPC, st.CommonHeight)
		if err != nil {
			ns.Error = err.Error()
			st.AppHashesAgree = false
			continue
		}
		ns.AppHash = h
		if first == "" {
			first = h
		} else if h != first {
			st.AppHashesAgree = false
		}
	}
	return st
}

// AppHashAfter returns the app hash after height h as the node at rpc stored it: the app_hash
// in the header of block h+1.
func AppHashAfter(ctx context.Context, rpc string, h int64) (string, error) {
	var res struct {
		Result struct {
			SignedHeader struct {
				Header struct {
					AppHash string `json:"app_hash"`
				} `json:"header"`
			} `json:"signed_header"`
		} `json:"result"`
	}
	if err := rpcGet(ctx, rpc, "/commit?height="+strconv.FormatInt(h+1, 10), &res); err != nil {
		return "", err
	}
	if res.Result.SignedHeader.Header.AppHash == "" {
		return "", fmt.Errorf("no block %d at %s", h+1, rpc)
	}
	return res.Result.SignedHeader.Header.AppHash, nil
}

func nodeRPCStatus(ctx context.Context, rpc string, ns *NodeStatus) error {
	var st struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
				CatchingUp        bool   `json:"catching_up"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := rpcGet(ctx, rpc, "/status", &st); err != nil {
		return err
	}
	ns.Height, _ = strconv.ParseInt(st.Result.SyncInfo.LatestBlockHeight, 10, 64)
	ns.CatchingUp = st.Result.SyncInfo.CatchingUp
	var ni struct {
		Result struct {
			NPeers string `json:"n_peers"`
		} `json:"result"`
	}
	if err := rpcGet(ctx, rpc, "/net_info", &ni); err != nil {
		return err
	}
	ns.Peers, _ = strconv.Atoi(ni.Result.NPeers)
	return nil
}

func rpcGet(ctx context.Context, rpc, path string, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+rpc+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s%s: %s", rpc, path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
