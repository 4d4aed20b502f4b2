// Package types holds x/market's state types, messages, parameters, errors and the pure money
// math of settlement (settle.go): how a tenant account drains, what a lease owes, fees and the
// cover rule.
package types
