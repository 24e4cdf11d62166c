//go:build cluster

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestClusterKillDuringComplaintIntake posts complaints through HAProxy as
// a channel gateway does (staff token, one Idempotency-Key per message,
// the same key again after a failure) while one node is killed with
// kill -9. Every complaint whose number reached the gateway must be stored
// exactly once under that number, and a retried key must get the same
// number back.
func TestClusterKillDuringComplaintIntake(t *testing.T) {
	c := newCluster(t, 3, func(c *cluster) {
		c.rembug([]string{"user", "create"}, "--email", "gateway@contoh.test", "--role", "admin")
	})
	tok := strings.TrimSpace(strings.SplitN(c.rembug([]string{"token", "create"}, "--email", "gateway@contoh.test", "--name", "gerbang-sms"), "\n", 2)[0])
	ctx := scenario(t)
	client := &http.Client{Timeout: 10 * time.Second}
	post := func(key string) (int, string, error) {
		body, _ := json.Marshal(map[string]string{"text": "Saluran air tersumbat sampah, mohon dibersihkan (pesan " + key + ")"})
		req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+c.lb+"/api/v1/complaints", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		res, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		var out struct {
			Number string `json:"number"`
		}
		json.NewDecoder(res.Body).Decode(&out) //nolint:errcheck // the status tells
		return res.StatusCode, out.Number, nil
	}

	var (
		mu       sync.Mutex
		acked    = map[string]string{} // idempotency key -> number
		retries  atomic.Int64
		failures = map[string]int{}
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				key := fmt.Sprintf("sms-%d-%d", w, i)
				for attempt := 0; ; attempt++ {
					code, number, err := post(key)
					if err == nil && (code == http.StatusCreated || code == http.StatusOK) && number != "" {
						mu.Lock()
						if prev, ok := acked[key]; ok && prev != number {
							t.Errorf("key %s answered %s and then %s", key, prev, number)
						}
						acked[key] = number
						mu.Unlock()
						break
					}
					mu.Lock()
					failures[fmt.Sprintf("%d %v", code, err != nil)]++
					mu.Unlock()
					if attempt == 20 || ctx.Err() != nil {
						t.Errorf("key %s never acknowledged: HTTP %d, %v", key, code, err)
						break
					}
					retries.Add(1)
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	victim := c.nodes[1]
	victim.kill()
	killed := time.Now()
	c.waitState(victim, "DOWN")
	down := time.Since(killed)
	time.Sleep(1500 * time.Millisecond)
	stop.Store(true)
	wg.Wait()

	db := c.db()
	rows, err := db.QueryContext(ctx, "SELECT number, idem_key FROM complaints WHERE channel = 'api'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	byNumber, byKey := map[string]int{}, map[string]int{}
	stored := 0
	for rows.Next() {
		var number string
		var key *string
		if err := rows.Scan(&number, &key); err != nil {
			t.Fatal(err)
		}
		stored++
		byNumber[number]++
		if key != nil {
			byKey[*key]++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(acked) < 50 {
		t.Fatalf("only %d complaints acknowledged: the load did not run", len(acked))
	}
	lost, twice := 0, 0
	for key, number := range acked {
		if byNumber[number] != 1 {
			lost++
			t.Errorf("acknowledged complaint %s (key %s) stored %d times", number, key, byNumber[number])
		}
	}
	for key, n := range byKey {
		if n > 1 {
			twice++
			t.Errorf("key %s stored %d times", key, n)
		}
	}
	t.Logf("%d complaints acknowledged, %d stored, %d missing or duplicated, %d keys stored twice; %d retries of the same key after failures %v; HAProxy saw %s down %v after kill -9",
		len(acked), stored, lost, twice, retries.Load(), failures, victim.name, down.Round(time.Millisecond))
}
