package protocol

import (
	"errors"
	"fmt"
)

// ErrorCode is pool-reference's PoolErrorCode. The numbers are part of the protocol: farmers'
// software switches on them, so they are never renumbered.
type ErrorCode int

// The error codes of pool protocol v1.
const (
	RevertedSignagePoint         ErrorCode = 1
	TooLate                      ErrorCode = 2
	NotFound                     ErrorCode = 3
	InvalidProof                 ErrorCode = 4
	ProofNotGoodEnough           ErrorCode = 5
	InvalidDifficulty            ErrorCode = 6
	InvalidSignature             ErrorCode = 7
	ServerException              ErrorCode = 8
	InvalidP2SingletonPuzzleHash ErrorCode = 9
	FarmerNotKnown               ErrorCode = 10
	FarmerAlreadyKnown           ErrorCode = 11
	InvalidAuthenticationToken   ErrorCode = 12
	InvalidPayoutInstructions    ErrorCode = 13
	InvalidSingleton             ErrorCode = 14
	DelayTimeTooShort            ErrorCode = 15
	RequestFailed                ErrorCode = 16
)

var codeNames = map[ErrorCode]string{
	RevertedSignagePoint:         "REVERTED_SIGNAGE_POINT",
	TooLate:                      "TOO_LATE",
	NotFound:                     "NOT_FOUND",
	InvalidProof:                 "INVALID_PROOF",
	ProofNotGoodEnough:           "PROOF_NOT_GOOD_ENOUGH",
	InvalidDifficulty:            "INVALID_DIFFICULTY",
	InvalidSignature:             "INVALID_SIGNATURE",
	ServerException:              "SERVER_EXCEPTION",
	InvalidP2SingletonPuzzleHash: "INVALID_P2_SINGLETON_PUZZLE_HASH",
	FarmerNotKnown:               "FARMER_NOT_KNOWN",
	FarmerAlreadyKnown:           "FARMER_ALREADY_KNOWN",
	InvalidAuthenticationToken:   "INVALID_AUTHENTICATION_TOKEN",
	InvalidPayoutInstructions:    "INVALID_PAYOUT_INSTRUCTIONS",
	InvalidSingleton:             "INVALID_SINGLETON",
	DelayTimeTooShort:            "DELAY_TIME_TOO_SHORT",
	RequestFailed:                "REQUEST_FAILED",
}

// String returns pool-reference's name of the code.
func (c ErrorCode) String() string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return fmt.Sprintf("ErrorCode(%d)", int(c))
}

// Error is a protocol error, sent as {"error_code": n, "error_message": s}.
type Error struct {
	Code    ErrorCode `json:"error_code"`
	Message string    `json:"error_message"`
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("pool error %d (%s): %s", int(e.Code), e.Code, e.Message)
}

// Is makes errors.Is(err, &Error{Code: c}) match any error with code c.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code && t.Message == ""
}

// Errorf returns a protocol error with the code and a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Code returns the error's code: the code of a protocol error, ServerException otherwise.
func Code(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ServerException
}
