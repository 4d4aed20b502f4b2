// Package pospace implements Chia's v1 proof of space in pure Go.
package pospace
