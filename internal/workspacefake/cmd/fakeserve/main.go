// Command fakeserve serves a local backend's saved workspace (the fake of
// internal/workspacefake) from a process of its own, so that a mesa command
// pointed at it with WORKSPACEFAKE_URL holds only its own memory, as it
// would against Google. It is a measuring tool (BENCHMARKS.md, "mesa sync
// at 100,000 cases"), not part of a deployment.
//
//	fakeserve -data DIR     # DIR is mesa's --data; prints the URL, serves until SIGINT/SIGTERM
//	WORKSPACEFAKE_URL=URL mesa --data DIR sync
//
// It holds the workspace's directory lock while it serves, so no other
// process opens the same state; on a signal it writes the snapshot and
// exits, printing to stderr how many requests each method received.
//
// A mesa pointed at it treats the workspace as the local backend's, its
// own alone (no lease; `mesa run` keeps its cycle cache), but the server
// answers any number of clients: run one mesa at a time against it.
package main

import (
	"flag"
	"fmt"
	"log"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"

	"github.com/funza-tic/mesa/internal/workspacefake"
)

func main() {
	data := flag.String("data", "", "mesa's data directory (the workspace is DIR/workspace)")
	flag.Parse()
	if *data == "" {
		log.Fatal("fakeserve: -data is required")
	}
	s, err := workspacefake.Open(filepath.Join(*data, "workspace"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.URL())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	// What the clients asked while it served, for the measure's call counts.
	calls := s.Calls()
	names := slices.Sorted(maps.Keys(calls))
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "%s %d\n", n, calls[n])
	}
	if err := s.Close(); err != nil {
		log.Fatal(err)
	}
}
