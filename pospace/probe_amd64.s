//go:build amd64 && !purego

#include "textflag.h"

// func probe64(counts *uint16, row *[64]uint16, base uint32) uint64
//
// For m = 0…63 computes target = base + row[m], minus BC (15113) if that reaches BC, and sets
// bit m of the result when counts[target] != 0. counts must have one element of padding after
// index BC−1 because the gathers read 32 bits per target.
TEXT ·probe64(SB), NOSPLIT, $0-32
	MOVQ counts+0(FP), DI
	MOVQ row+8(FP), SI
	MOVL base+16(FP), AX
	VPBROADCASTD AX, Z0
	MOVL $15113, AX
	VPBROADCASTD AX, Z1
	MOVL $0xFFFF, AX
	VPBROADCASTD AX, Z4
	XORQ BX, BX
	// targets 0…15
	VPMOVZXWD 0(SI), Z2
	VPADDD Z0, Z2, Z2
	VPCMPUD $5, Z1, Z2, K1 // K1: target ≥ BC
	VPSUBD Z1, Z2, K1, Z2
	KXNORW K2, K2, K2
	VPXORD Z3, Z3, Z3
	VPGATHERDD (DI)(Z2*2), K2, Z3
	VPTESTMD Z4, Z3, K3
	KMOVW K3, CX
	ORQ CX, BX
	// targets 16…31
	VPMOVZXWD 32(SI), Z2
	VPADDD Z0, Z2, Z2
	VPCMPUD $5, Z1, Z2, K1 // K1: target ≥ BC
	VPSUBD Z1, Z2, K1, Z2
	KXNORW K2, K2, K2
	VPXORD Z3, Z3, Z3
	VPGATHERDD (DI)(Z2*2), K2, Z3
	VPTESTMD Z4, Z3, K3
	KMOVW K3, CX
	SHLQ $16, CX
	ORQ CX, BX
	// targets 32…47
	VPMOVZXWD 64(SI), Z2
	VPADDD Z0, Z2, Z2
	VPCMPUD $5, Z1, Z2, K1 // K1: target ≥ BC
	VPSUBD Z1, Z2, K1, Z2
	KXNORW K2, K2, K2
	VPXORD Z3, Z3, Z3
	VPGATHERDD (DI)(Z2*2), K2, Z3
	VPTESTMD Z4, Z3, K3
	KMOVW K3, CX
	SHLQ $32, CX
	ORQ CX, BX
	// targets 48…63
	VPMOVZXWD 96(SI), Z2
	VPADDD Z0, Z2, Z2
	VPCMPUD $5, Z1, Z2, K1 // K1: target ≥ BC
	VPSUBD Z1, Z2, K1, Z2
	KXNORW K2, K2, K2
	VPXORD Z3, Z3, Z3
	VPGATHERDD (DI)(Z2*2), K2, Z3
	VPTESTMD Z4, Z3, K3
	KMOVW K3, CX
	SHLQ $48, CX
	ORQ CX, BX
	MOVQ BX, ret+24(FP)
	VZEROUPPER
	RET
