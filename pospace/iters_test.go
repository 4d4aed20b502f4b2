package pospace

import (
	"crypto/sha256"
	"errors"
	"math"
	"math/big"
	"testing"
)

// The expected values below were computed independently with Python's arbitrary-precision
// integers from Chia's formula.
func TestRequiredIterations(t *testing.T) {
	q := mustHex32(t, "753087568382550fdefa85d7907efd91d7ad10a6b2e4787cf97f848f4753302e")
	sp := sha256.Sum256([]byte("guild/sp"))
	chia := ChiaIterationConstants()
	small := IterationConstants{DifficultyConstantFactor: big.NewInt(1 << 40), SubSlotIters: 1 << 20, NumSPsSubSlot: 64}
	cases := []struct {
		c          IterationConstants
		k          int
		difficulty uint64
		want       uint64
	}{
		{chia, 32, 1, 562702591},
		{chia, 32, 1000, 562702591590},
		{chia, 21, 1, 1742022534708},
		{chia, 25, 7, 642584292827},
		{chia, 18, 1, 16196101403777},
		{small, 32, 1, 4},
		{small, 32, 0, 1}, // never below 1
		{chia, 18, math.MaxUint64, math.MaxUint64},
	}
	for _, c := range cases {
		got, err := RequiredIterations(c.c, q, c.k, c.difficulty, sp)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("k=%d difficulty=%d: %d iterations, want %d", c.k, c.difficulty, got, c.want)
		}
	}
	if _, err := RequiredIterations(chia, q, 5, 1, sp); !errors.Is(err, ErrInvalidK) {
		t.Errorf("k=5: %v", err)
	}
	if _, err := RequiredIterations(IterationConstants{}, q, 32, 1, sp); err == nil {
		t.Error("zero constants accepted")
	}
	if got := chia.SPIntervalIters(); got != 587_500_000 {
		t.Errorf("sp interval %d", got)
	}
}

func TestPlotFilter(t *testing.T) {
	id, _ := ParsePlotID(chiaK18PlotID)
	sp := sha256.Sum256([]byte("guild/sp"))
	ch := CheckChallenge(755)
	if got := PlotFilterHash(id, ch, sp); got != mustHex32(t, "00519028073f2face8df78856a8bff9053d8725ff1826691b24956eca47fe7dd") {
		t.Fatalf("filter hash %x", got)
	}
	// 0x0051… has 9 leading zero bits.
	for bits := uint(0); bits <= 9; bits++ {
		if !PassesPlotFilter(id, ch, sp, bits) {
			t.Errorf("%d bits: should pass", bits)
		}
	}
	if PassesPlotFilter(id, ch, sp, 10) || PassesPlotFilter(id, ch, sp, 300) {
		t.Error("should not pass 10 bits")
	}
	if got := ProofChallenge(id, ch, sp); got != mustHex32(t, "0049c770fb7e89d47a57bc7db818825ccafe76b3aae90560901ed96622cf23b5") {
		t.Fatalf("proof challenge %x", got)
	}
	// About 1 in 2^9 challenges pass a 9-bit filter.
	passed := 0
	for i := range uint32(1 << 14) {
		if PassesPlotFilter(id, CheckChallenge(i), sp, 9) {
			passed++
		}
	}
	if passed < 16 || passed > 50 {
		t.Errorf("%d of 16384 passed a 9-bit filter, want about 32", passed)
	}
}

func TestPlotID(t *testing.T) {
	pool := mustHex32(t, "0101010101010101010101010101010101010101010101010101010101010101")
	key := mustHex32(t, "0202020202020202020202020202020202020202020202020202020202020202")
	want := sha256.Sum256(append(pool[:], key[:]...))
	if got := DerivePlotID(pool, key); got != PlotID(want) {
		t.Fatalf("plot id %s", got)
	}
	id, err := ParsePlotID("0x" + PlotID(want).String())
	if err != nil || id != PlotID(want) {
		t.Fatalf("parse: %v %s", err, id)
	}
	for _, bad := range []string{"", "abcd", PlotID(want).String() + "00", "zz" + PlotID(want).String()[2:]} {
		if _, err := ParsePlotID(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
