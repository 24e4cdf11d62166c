package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// startPprof serves the runtime profiles of net/http/pprof on addr, a
// debug listener separate from the site (never expose it publicly: it
// reveals internals and costs CPU while profiling). An empty addr starts
// nothing. Profile a running node with, for example:
//
//	go tool pprof -seconds 30 http://127.0.0.1:6060/debug/pprof/profile
//
// It returns a function that stops the listener. Errors: the address
// cannot be listened on.
func startPprof(addr string, log *slog.Logger) (func(), error) {
	if addr == "" {
		return func() {}, nil
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return listenAside(addr, mux, "pprof", "/debug/pprof/", log)
}

// listenAside serves h on addr, a listener apart from the site's, and logs
// the address with path; what names it in the logs. It returns a function
// that stops the listener. Errors: the address cannot be listened on.
func listenAside(addr string, h http.Handler, what, path string, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn(what+" listener", "err", err)
		}
	}()
	log.Info(what+" listening", "addr", "http://"+ln.Addr().String()+path)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
	}, nil
}
