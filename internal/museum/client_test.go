package museum

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rateLimiter answers 429 to the first n requests (with retryAfter, if
// set), then 200 with body.
func rateLimiter(t *testing.T, n int, retryAfter, body string) *Client {
	t.Helper()
	seen := 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen++
		if seen <= n {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			http.Error(w, `{"error":"Rate limit breached, try later"}`, http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(ts.Close)
	c, err := New(ts.URL)
	require.NoError(t, err)
	return c
}

// waits makes c record its back-off instead of sleeping.
func waits(c *Client) *[]time.Duration {
	var got []time.Duration
	c.Sleep = func(_ context.Context, d time.Duration) error {
		got = append(got, d)
		return nil
	}
	return &got
}

func TestRetryAfterHonoured(t *testing.T) {
	c := rateLimiter(t, 2, "7", `{"id":42,"token":"abc"}`)
	got := waits(c)
	v, err := c.VerifyEmail(t.Context(), "a@example.org", "123456")
	require.NoError(t, err, "after two 429s")
	require.Equal(t, int64(42), v.ID, "after two 429s: %+v", v)
	require.Equal(t, "abc", v.Token, "after two 429s: %+v", v)
	assert.Equal(t, []time.Duration{7 * time.Second, 7 * time.Second}, *got, "waited")
}

// Museum sends no Retry-After: the client backs off, doubling from 2 s,
// and gives up with the 429 once RetryFor is spent.
func TestBackoffWithoutRetryAfter(t *testing.T) {
	c := rateLimiter(t, 1000, "", "{}")
	got := waits(c)
	c.RetryFor = 20 * time.Second
	err := c.SendOTT(t.Context(), "a@example.org", "signup")
	var se *StatusError
	require.ErrorIs(t, err, ErrStatus, "want a 429 StatusError")
	require.ErrorAs(t, err, &se, "want a 429 StatusError")
	require.Equal(t, http.StatusTooManyRequests, se.Code, "want a 429 StatusError")
	require.True(t, IsStatus(err, 429), "err = %v, want a 429 StatusError", err)
	assert.Equal(t, []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 6 * time.Second}, *got, "waited")
}

func TestNewRejectsBadBase(t *testing.T) {
	for _, base := range []string{"", "ftp://x", "http://", "::"} {
		_, err := New(base)
		assert.Error(t, err, "New(%q) accepted", base)
	}
}
