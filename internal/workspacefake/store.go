package workspacefake

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Persistence: a snapshot (state.json) plus a write-ahead log (wal.jsonl) of
// applied mutations, one JSON line each. A mutation is applied in memory,
// then its line is written (one write(2) call) before the HTTP reply leaves,
// so a kill -9 at any point loses at most a request whose reply was never
// sent. The page cache survives kill -9, so there is no fsync per request;
// snapshots are fsynced because they replace the log.
//
// Mutations are logged as operations with their decoded arguments and the
// instant they ran, not as raw HTTP requests: replay calls the same apply
// functions with the same clock, and ids come from counters in the state, so
// replay reproduces exactly what clients saw.

const (
	snapshotFile = "state.json"
	walFile      = "wal.jsonl"
	// compactAfter bounds the log so that a long-running server does not
	// replay gigabytes after a crash; compaction costs one snapshot write.
	compactAfter = 256 << 20
)

// state is everything the fake persists (except Drive file bytes, which live
// under dir/drive so a person can open them).
type state struct {
	Seq          int64                   `json:"seq"`  // last applied log entry
	Salt         string                  `json:"salt"` // makes ids differ between data directories
	NextID       int64                   `json:"nextId"`
	Spreadsheets map[string]*spreadsheet `json:"spreadsheets"`
	Forms        map[string]*form        `json:"forms"`
	Mail         []*sentMail             `json:"mail"`
	Files        map[string]*driveFile   `json:"files"`
}

func newState() *state {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &state{
		Salt:         hex.EncodeToString(b),
		Spreadsheets: map[string]*spreadsheet{},
		Forms:        map[string]*form{},
		Files: map[string]*driveFile{
			rootFolderID: {ID: rootFolderID, Name: "My Drive", MimeType: mimeFolder, Version: 1},
		},
	}
}

// newID returns a deterministic opaque id: replaying the log yields the same
// ids because NextID is part of the state.
func (st *state) newID(kind string, length int) string {
	st.NextID++
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%s/%d", st.Salt, kind, st.NextID))
	id := base64.RawURLEncoding.EncodeToString(sum[:])
	id = id + hex.EncodeToString(sum[:])
	return id[:length]
}

// newHexID is like newID for ids Google writes in lowercase hex (Gmail
// message ids, Forms question ids).
func (st *state) newHexID(kind string, length int) string {
	st.NextID++
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%s/%d", st.Salt, kind, st.NextID))
	return hex.EncodeToString(sum[:])[:length]
}

// newInt31 returns a deterministic positive int32, as Google uses for sheet,
// protected range and filter view ids.
func (st *state) newInt31(kind string) int64 {
	st.NextID++
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%s/%d", st.Salt, kind, st.NextID))
	n := int64(sum[0])<<24 | int64(sum[1])<<16 | int64(sum[2])<<8 | int64(sum[3])
	n &= 0x7fffffff
	if n == 0 {
		n = 1
	}
	return n
}

// walEntry is one line of the log.
type walEntry struct {
	Seq  int64           `json:"seq"`
	Time time.Time       `json:"time"`
	Op   string          `json:"op"`
	Args json.RawMessage `json:"args"`
}

type wal struct {
	f    *os.File
	size int64
}

func (w *wal) append(e walEntry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	n, err := w.f.Write(line)
	w.size += int64(n)
	return err
}

func (w *wal) reset() error {
	if err := w.f.Truncate(0); err != nil {
		return err
	}
	if _, err := w.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	w.size = 0
	return nil
}

// loadSnapshot reads dir/state.json; a missing file means a fresh state.
func loadSnapshot(dir string) (*state, bool, error) {
	f, err := os.Open(filepath.Join(dir, snapshotFile))
	if errors.Is(err, os.ErrNotExist) {
		return newState(), false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	st := newState()
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(st); err != nil {
		return nil, false, fmt.Errorf("read snapshot: %w", err)
	}
	if st.Spreadsheets == nil {
		st.Spreadsheets = map[string]*spreadsheet{}
	}
	if st.Forms == nil {
		st.Forms = map[string]*form{}
	}
	if st.Files == nil {
		st.Files = map[string]*driveFile{}
	}
	for _, ss := range st.Spreadsheets {
		for _, sh := range ss.Sheets {
			sh.restoreFormulas()
		}
	}
	return st, true, nil
}

// writeSnapshot replaces dir/state.json atomically (tmp, fsync, rename,
// fsync dir) so a crash leaves either the old or the new snapshot.
func writeSnapshot(dir string, st *state) error {
	tmp := filepath.Join(dir, snapshotFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := json.NewEncoder(bw).Encode(st); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, snapshotFile)); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// readLog returns the complete entries of the log. A last line without its
// newline, or that does not decode, is a write torn by a crash and is
// ignored; a bad line in the middle is corruption and an error.
func readLog(path string) ([]walEntry, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var entries []walEntry
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break // torn last line
		}
		line := data[:i]
		data = data[i+1:]
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var e walEntry
		if err := json.Unmarshal(line, &e); err != nil {
			if len(bytes.TrimSpace(data)) == 0 {
				break // torn last line that happens to end in a newline
			}
			return nil, fmt.Errorf("corrupt log entry after seq %d: %w", lastSeq(entries), err)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func lastSeq(entries []walEntry) int64 {
	if len(entries) == 0 {
		return 0
	}
	return entries[len(entries)-1].Seq
}

// mutate runs apply and logs it. The caller holds s.mu. apply must either
// fail without changing anything or succeed completely, and must depend
// only on the state, now and args, so that replay gives the same result.
func mutate[A, R any](s *Server, op string, args A, apply func(time.Time, A) (R, error)) (R, error) {
	if s.closed {
		var zero R
		return zero, errors.New("workspacefake: server is closed")
	}
	// Encoded before apply runs: replay must see the arguments as they were
	// received, whatever apply does with them.
	raw, err := json.Marshal(args)
	if err != nil {
		var zero R
		return zero, fmt.Errorf("log %s: %w", op, err)
	}
	now := s.clock()
	// A failed apply may have drawn ids; give them back, since replay will
	// not see the failed operation and must draw the same ids as we do.
	nextID := s.st.NextID
	res, err := apply(now, args)
	if err != nil {
		s.st.NextID = nextID
		return res, err
	}
	s.st.Seq++
	if err := s.wal.append(walEntry{Seq: s.st.Seq, Time: now, Op: op, Args: raw}); err != nil {
		return res, fmt.Errorf("log %s: %w", op, err)
	}
	if s.wal.size > compactAfter {
		if err := s.compact(); err != nil {
			return res, fmt.Errorf("compact: %w", err)
		}
	}
	return res, nil
}

// replayOne decodes the arguments of a logged operation and applies it.
func replayOne[A, R any](raw json.RawMessage, now time.Time, apply func(time.Time, A) (R, error)) error {
	var a A
	if err := json.Unmarshal(raw, &a); err != nil {
		return err
	}
	_, err := apply(now, a)
	return err
}

// replay applies one log entry. Every operation passed to mutate must be
// listed here.
func (s *Server) replay(e walEntry) error {
	t := e.Time
	switch e.Op {
	case opSheetsCreate:
		return replayOne(e.Args, t, s.applySheetsCreate)
	case opSheetsBatchUpdate:
		return replayOne(e.Args, t, s.applySheetsBatchUpdate)
	case opValuesUpdate:
		return replayOne(e.Args, t, s.applyValuesUpdate)
	case opValuesBatchUpdate:
		return replayOne(e.Args, t, s.applyValuesBatchUpdate)
	case opValuesAppend:
		return replayOne(e.Args, t, s.applyValuesAppend)
	case opValuesClear:
		return replayOne(e.Args, t, s.applyValuesClear)
	case opFormsCreate:
		return replayOne(e.Args, t, s.applyFormsCreate)
	case opFormsBatchUpdate:
		return replayOne(e.Args, t, s.applyFormsBatchUpdate)
	case opFormsSubmit:
		return replayOne(e.Args, t, s.applyFormsSubmit)
	case opGmailSend:
		return replayOne(e.Args, t, s.applyGmailSend)
	case opGmailTrash:
		return replayOne(e.Args, t, s.applyGmailTrash)
	case opDriveWrite:
		return replayOne(e.Args, t, s.applyDriveWrite)
	case opDriveDelete:
		return replayOne(e.Args, t, s.applyDriveDelete)
	}
	return fmt.Errorf("unknown operation %q", e.Op)
}

// compact writes a snapshot and empties the log. The snapshot records the
// last applied sequence number, so a crash between the rename and the
// truncation only leaves entries that the next Open skips.
func (s *Server) compact() error {
	if err := writeSnapshot(s.dir, s.st); err != nil {
		return err
	}
	return s.wal.reset()
}

// load restores the state from the snapshot and the log, then compacts so
// the log starts empty (which also drops a torn last line).
func (s *Server) load() error {
	st, found, err := loadSnapshot(s.dir)
	if err != nil {
		return err
	}
	s.st = st
	entries, err := readLog(filepath.Join(s.dir, walFile))
	if err != nil {
		return err
	}
	replayed := 0
	for _, e := range entries {
		if e.Seq <= s.st.Seq {
			continue
		}
		if err := s.replay(e); err != nil {
			return fmt.Errorf("replay %s (seq %d): %w", e.Op, e.Seq, err)
		}
		s.st.Seq = e.Seq
		replayed++
	}
	f, err := os.OpenFile(filepath.Join(s.dir, walFile), os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	s.wal = &wal{f: f}
	info, err := f.Stat()
	if err != nil {
		return err
	}
	// A fresh directory gets its snapshot at once: the salt must be durable
	// before any id derived from it is handed out.
	if !found || replayed > 0 || info.Size() > 0 {
		return s.compact()
	}
	return nil
}
