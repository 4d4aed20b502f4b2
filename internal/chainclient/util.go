package chainclient

import (
	"os"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"
)

func nopLogger() log.Logger { return log.NewNopLogger() }

func memDB() dbm.DB { return dbm.NewMemDB() }

// emptyOptions satisfies servertypes.AppOptions for the throwaway app that provides codecs.
// Its home is the temporary directory: with no home the upgrade keeper creates data/ in the
// current directory of whoever uses this package.
type emptyOptions struct{}

func (emptyOptions) Get(key string) any {
	if key == "home" {
		return os.TempDir()
	}
	return nil
}
