package chainclient

import (
	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"
)

func nopLogger() log.Logger { return log.NewNopLogger() }

func memDB() dbm.DB { return dbm.NewMemDB() }

// emptyOptions satisfies servertypes.AppOptions for the throwaway app that provides codecs.
type emptyOptions struct{}

func (emptyOptions) Get(string) any { return nil }
