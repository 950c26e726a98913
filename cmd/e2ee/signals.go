package main

import (
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
)

// Temporary files not yet committed, removed on exit and on the signals
// that end the process.
var temps struct {
	sync.Mutex
	names map[string]bool
}

func registerTemp(name string) {
	temps.Lock()
	defer temps.Unlock()
	if temps.names == nil {
		temps.names = make(map[string]bool)
	}
	temps.names[name] = true
}

func removeTemp(name string) {
	temps.Lock()
	defer temps.Unlock()
	if temps.names[name] {
		os.Remove(name)
		delete(temps.names, name)
	}
}

// cleanupTemps removes every temporary file not committed.
func cleanupTemps() {
	temps.Lock()
	defer temps.Unlock()
	removeAllLocked()
}

func removeAllLocked() {
	for name := range temps.names {
		os.Remove(name)
	}
	clear(temps.names)
}

// onSignal, when set, runs before the process exits on a signal: it puts
// the terminal back after an interrupted prompt.
var onSignal atomic.Pointer[func()]

func setOnSignal(f func()) {
	if f == nil {
		onSignal.Store(nil)
		return
	}
	onSignal.Store(&f)
}

// cleanupOnSignal makes the signals that end a process (terminatingSignals:
// SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE on Unix) remove the
// temporary files before it exits with 128 + the signal's number, as a
// shell reports a process killed by it. An interrupted decryption leaves
// nothing behind. It returns a function that stops the handling.
func cleanupOnSignal() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, terminatingSignals...)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			temps.Lock() // held until exit: no Commit renames after this
			removeAllLocked()
			if f := onSignal.Load(); f != nil {
				(*f)()
			}
			os.Exit(signalExitCode(sig))
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
