package realtime

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestRecheckAcrossNodes revokes one viewer's right to a channel: a
// re-check ordered on one node closes that viewer's connections on every
// node with CloseRevoked, and the others keep receiving.
func TestRecheckAcrossNodes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nodes func(t *testing.T) [2]Broker
	}{
		{"memory, one node", func(t *testing.T) [2]Broker {
			return [2]Broker{NewMemoryBroker(HistoryOptions{}), nil}
		}},
		{"redis, two nodes", func(t *testing.T) [2]Broker {
			newClient, prefix := MustRedis(t)
			return [2]Broker{MustRedisBroker(t, newClient, prefix, HistoryOptions{}), MustRedisBroker(t, newClient, prefix, HistoryOptions{})}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			revoked := map[string]bool{}
			asked := 0
			hopts := HandlerOptions{User: userFromQuery, Recheck: func(_ context.Context, user, channel string) bool {
				mu.Lock()
				defer mu.Unlock()
				asked++
				return channel == "qa" && !revoked[user]
			}}
			bs := tc.nodes(t)
			hubA, srvA := MustServe(t, bs[0], Options{}, hopts)
			srvB := srvA
			if bs[1] != nil {
				_, srvB = MustServe(t, bs[1], Options{}, hopts)
			}
			goneA := dialUser(t, srvA, "qa", "u1")
			goneB := dialUser(t, srvB, "qa", "u1")
			stays := dialUser(t, srvB, "qa", "u2")
			mu.Lock()
			revoked["u1"] = true
			mu.Unlock()
			if err := hubA.Recheck(context.Background(), "qa"); err != nil {
				t.Fatal(err)
			}
			for i, c := range []*websocket.Conn{goneA, goneB} {
				_, err := readMsg(c, 5*time.Second)
				var ce *websocket.CloseError
				if !errors.As(err, &ce) || ce.Code != CloseRevoked {
					t.Fatalf("connection %d of the revoked viewer: %v, want close %d", i, err, CloseRevoked)
				}
			}
			MustPublish(t, hubA, "qa", 1)
			expectSeqs(t, stays, 1)
			mu.Lock()
			defer mu.Unlock()
			if asked == 0 {
				t.Fatal("Recheck was never asked")
			}
		})
	}
}
