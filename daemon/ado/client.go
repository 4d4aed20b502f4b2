package ado

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// RefusedError is the ADO's answer when it issues no credential.
type RefusedError struct {
	Status int
	Code   string
	Reason string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the ADO refused (%d %s): %s", e.Status, e.Code, e.Reason)
}

// Fetch posts a signed request to the ADO at baseURL and returns the credential JSON.
func Fetch(ctx context.Context, hc *http.Client, baseURL, compact string) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(baseURL, "/")+Route, bytes.NewBufferString(compact))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/jose")
	res, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ado %s: %w", baseURL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	var ans Answer
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, fmt.Errorf("ado %s: %d: %s", baseURL, res.StatusCode, bytes.TrimSpace(body))
	}
	if res.StatusCode != http.StatusOK || ans.Error != "" {
		return nil, &RefusedError{Status: res.StatusCode, Code: ans.Error, Reason: ans.Reason}
	}
	return ans.Credential, nil
}
