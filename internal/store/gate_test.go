package store

import (
	"context"
	"errors"
	"testing"
)

func TestStatementLimit(t *testing.T) {
	ctx := WithStatementLimit(context.Background(), 2)
	c1, r1, err := hold(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, r2, err := hold(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A third waits: with its context ended it gives up.
	ended, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := hold(ended); !errors.Is(err, context.Canceled) {
		t.Errorf("third statement with a full gate = %v, want context.Canceled", err)
	}
	// A statement run within a held one takes no second place.
	if _, r, err := hold(c1); err != nil {
		t.Errorf("nested hold = %v", err)
	} else {
		r()
	}
	r1()
	_, r3, err := hold(ctx)
	if err != nil {
		t.Errorf("after a release: %v", err)
	}
	r2()
	r3()
	// Without a gate nothing waits.
	for i := 0; i < 100; i++ {
		if _, _, err := hold(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLimitStatements(t *testing.T) {
	ctx := WithStatementLimit(context.Background(), 3)
	LimitStatements(ctx, 1)
	_, release, err := hold(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := hold(ended); !errors.Is(err, context.Canceled) {
		t.Errorf("second statement after LimitStatements(1) = %v, want it to wait", err)
	}
	release()
	if _, r, err := hold(ctx); err != nil {
		t.Errorf("after the release: %v", err)
	} else {
		r()
	}
	LimitStatements(context.Background(), 1) // no gate: nothing to do
}
