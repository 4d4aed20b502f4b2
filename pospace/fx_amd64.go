//go:build amd64 && !purego

package pospace

import "golang.org/x/sys/cpu"

//go:generate go run blake3x16_gen.go

// useAVX512 selects the 16-lane BLAKE3 in blake3x16_amd64.s.
var useAVX512 = cpu.X86.HasAVX512F

// blake3x16 hashes 16 one-block messages of blockLen bytes: in[w][l] is block word w of message
// l, out[w][l] digest word w of message l.
//
//go:noescape
func blake3x16(out *[8][16]uint32, in *[16][16]uint32, blockLen uint32)

func setAVX512(on bool) { useAVX512 = on && cpu.X86.HasAVX512F }

// probe64 sets bit m of its result when counts[target(m)] != 0, with target(m) = base + row[m]
// reduced below BC; see probe_amd64.s. counts needs one element of padding.
//
//go:noescape
func probe64(counts *uint16, row *[64]uint16, base uint32) uint64
