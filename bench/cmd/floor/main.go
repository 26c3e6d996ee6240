// Command floor serves the benchmark's reference Cypher statements over HTTP
// with no GraphQL (see package bench/floor).
//
// Environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE (neo4j),
// NEO4J_MAX_POOL_SIZE (50), FLOOR_ADDR (127.0.0.1:7713).
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/vetgraph/vetgraph/bench/floor"
)

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func main() {
	pool, err := strconv.Atoi(env("NEO4J_MAX_POOL_SIZE", "50"))
	if err != nil || pool < 1 {
		log.Fatalf("floor: NEO4J_MAX_POOL_SIZE must be a positive number")
	}
	driver, err := floor.Driver(env("NEO4J_URI", "bolt://127.0.0.1:7687"), os.Getenv("NEO4J_USER"), os.Getenv("NEO4J_PASSWORD"), pool)
	if err != nil {
		log.Fatalf("floor: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := driver.VerifyConnectivity(ctx); err != nil {
		log.Fatalf("floor: neo4j: %v", err)
	}
	addr := env("FLOOR_ADDR", "127.0.0.1:7713")
	srv := &http.Server{
		Addr: addr, Handler: floor.Handler(driver, env("NEO4J_DATABASE", "neo4j"), 15*time.Second),
		ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Printf("floor is up: http://%s/q/{name}\n", addr)
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		log.Fatalf("floor: %v", err)
	}
	_ = driver.Close(context.Background())
}
