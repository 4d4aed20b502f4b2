package protocol

import "time"

// DefaultAuthTokenTimeout is pool-reference's authentication_token_timeout, in minutes.
const DefaultAuthTokenTimeout = 5

// AuthToken returns the authentication token at t: floor(floor(unix_seconds / 60) / timeout),
// where timeout is in minutes (pool-reference's get_current_authentication_token).
func AuthToken(t time.Time, timeoutMinutes uint8) uint64 {
	if timeoutMinutes == 0 {
		timeoutMinutes = DefaultAuthTokenTimeout
	}
	s := t.Unix()
	if s < 0 {
		return 0
	}
	return uint64(s) / 60 / uint64(timeoutMinutes)
}

// CheckAuthToken accepts token when it is within timeout tokens of the current one (±25 minutes
// at the default, pool-reference's validate_authentication_token) and returns an
// InvalidAuthenticationToken error otherwise.
func CheckAuthToken(token uint64, now time.Time, timeoutMinutes uint8) error {
	if timeoutMinutes == 0 {
		timeoutMinutes = DefaultAuthTokenTimeout
	}
	cur := AuthToken(now, timeoutMinutes)
	var diff uint64
	if token > cur {
		diff = token - cur
	} else {
		diff = cur - token
	}
	if diff > uint64(timeoutMinutes) {
		return Errorf(InvalidAuthenticationToken, "authentication token %d is %d tokens from the current %d (at most %d)", token, diff, cur, timeoutMinutes)
	}
	return nil
}
