// Command guildd is Guild's single binary: the chain node and client, the local devnet
// (`guildd dev`) and, as they are built, the daemons around the chain.
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/guild-network/guild/cmd/guildd/cmd"
)

func main() {
	root := cmd.NewRootCmd()
	if err := svrcmd.Execute(root, "GUILDD", cmd.DefaultNodeHome); err != nil {
		fmt.Fprintln(root.ErrOrStderr(), err)
		os.Exit(1)
	}
}
