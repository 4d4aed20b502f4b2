package pospace_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/guild-network/guild/pospace"
)

// Plot a small plot, answer a challenge from it and verify the proof, as a farmer and a chain
// would.
func Example() {
	dir, err := os.MkdirTemp("", "pospace-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	var poolContract, plotKey [32]byte // a pool contract id and an ed25519 public key
	poolContract[0], plotKey[0] = 1, 2
	id := pospace.DerivePlotID(poolContract, plotKey)

	path := filepath.Join(dir, pospace.PlotFileName(14, id))
	_, err = pospace.CreatePlot(context.Background(), path, pospace.PlotOptions{
		K: 14, PlotID: id, PoolContractID: poolContract, PlotPublicKey: plotKey,
	})
	if err != nil {
		panic(err)
	}

	prover, err := pospace.OpenProver(path)
	if err != nil {
		panic(err)
	}
	defer prover.Close()

	for i := range uint32(8) {
		challenge := pospace.CheckChallenge(i)
		qualities, err := prover.Qualities(challenge)
		if err != nil {
			panic(err)
		}
		valid := 0
		for j, q := range qualities {
			proof, err := prover.Proof(challenge, j)
			if err != nil {
				panic(err)
			}
			if verified, err := pospace.Verify(id, 14, challenge, proof); err == nil && verified == q {
				valid++
			}
		}
		fmt.Printf("challenge %d: %d proofs, %d valid\n", i, len(qualities), valid)
	}
	// Output:
	// challenge 0: 0 proofs, 0 valid
	// challenge 1: 0 proofs, 0 valid
	// challenge 2: 1 proofs, 1 valid
	// challenge 3: 0 proofs, 0 valid
	// challenge 4: 1 proofs, 1 valid
	// challenge 5: 1 proofs, 1 valid
	// challenge 6: 4 proofs, 4 valid
	// challenge 7: 0 proofs, 0 valid
}

// Verify one of Chia's published k=21 proofs.
func ExampleVerify() {
	id, _ := pospace.ParsePlotID("05683404333717545b0a6f0c0dde9710e4d3fe2d5cc6cc0a090a0b818bab0f17")
	challenge, _ := pospace.ParseHex32("df3f619804a92fdb4057192dc43dd748ea778adc52bc498ce80524c014b81119")
	proof, _ := hex.DecodeString("cc128d31890be2ef01ed47503b8559caa2014b9262651db7c43ff1544acb0de1" +
		"f354e87d88b0b1c87383394d52b6fc393fbacb0224665488cd31d7c6f52d4113" +
		"a7d3e3c5cc5366668dd446586bc9c66fb607ea55596ce2d14db5ff964c2f7c7f" +
		"fc4f5590b1313c6ce29a2b0ef6773256d3019f0a78ace7aef2efd8c2decefc31" +
		"7a98bd61722839c1b68d28eb38972b4b12b5912d9024e9b8d5a4cd878bc12192" +
		"b1390a7d9dd6b82a")
	quality, err := pospace.Verify(id, 21, challenge, proof)
	fmt.Println(hex.EncodeToString(quality[:]), err)
	// Output:
	// 753087568382550fdefa85d7907efd91d7ad10a6b2e4787cf97f848f4753302e <nil>
}

// The required iterations of a quality at Chia's constants; a partial is good enough for a pool
// when they are below SPIntervalIters.
func ExampleRequiredIterations() {
	quality, _ := pospace.ParseHex32("753087568382550fdefa85d7907efd91d7ad10a6b2e4787cf97f848f4753302e")
	spHash, _ := pospace.ParseHex32("eb34620d0b9cdafed8b5e9fab54c5e10092aa0f008ac8ccb197a49a579da5f11")
	c := pospace.ChiaIterationConstants()
	iters, err := pospace.RequiredIterations(c, quality, 32, 1, spHash)
	fmt.Println(iters, err, iters < c.SPIntervalIters())
	// Output:
	// 562702591 <nil> true
}
