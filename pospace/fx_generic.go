//go:build !amd64 || purego

package pospace

// useAVX512 is false without the amd64 assembly.
const useAVX512 = false

func blake3x16(out *[8][16]uint32, in *[16][16]uint32, blockLen uint32) {
	panic("pospace: blake3x16 without assembly")
}

func setAVX512(bool) {}

func probe64(counts *uint16, row *[64]uint16, base uint32) uint64 {
	panic("pospace: probe64 without assembly")
}
