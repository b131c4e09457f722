package audit

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// VerifyError names the first line of an audit log where the chain breaks.
type VerifyError struct {
	Line   int // 1-based
	Reason string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}

// Verify checks that r holds an unbroken chain of records. It returns a
// *VerifyError for the first line that was edited, removed, inserted,
// moved, cut short or is not a record, or the error reading r. An empty
// log is valid.
func Verify(r io.Reader) error {
	_, err := scan(r, nil)
	return err
}

// VerifyFile verifies the audit log at path and returns how many records
// it holds, or on a *VerifyError how many came before the bad line.
func VerifyFile(path string) (records int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	c, err := scan(f, nil)
	return c.records, err
}

// Read calls fn for each record of the audit log at path, in order,
// verifying the chain as it goes: it stops at the first bad line with a
// *VerifyError, and at the first error fn returns. Call it before the
// server writes to the log: a record being appended would read as a line
// cut short.
func Read(path string, fn func(Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = scan(f, fn)
	return err
}

// maxLine bounds a line; records are far shorter.
const maxLine = 1 << 20

// chain is the state of a chain read so far.
type chain struct {
	records int
	seq     int64
	hash    string
}

// scan reads the records of r, checking the chain, and calls fn, if not
// nil, for each good one.
func scan(r io.Reader, fn func(Record) error) (chain, error) {
	c := chain{hash: zeroHash}
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if errors.Is(err, errTooLong) {
			return c, &VerifyError{Line: n, Reason: fmt.Sprintf("longer than %d bytes: not a record", maxLine)}
		}
		if len(line) > 0 {
			rec, reason := c.next(line)
			if reason != "" {
				return c, &VerifyError{Line: n, Reason: reason}
			}
			if fn != nil {
				if err := fn(rec); err != nil {
					return c, err
				}
			}
		}
		if err == io.EOF {
			return c, nil
		}
		if err != nil {
			return c, err
		}
	}
}

var errTooLong = errors.New("line too long")

// readLine returns the next line with its newline, or what is left at the
// end without one; io.EOF once nothing is left after it.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(line)+len(frag) > maxLine {
			return nil, errTooLong
		}
		line = append(line, frag...)
		if err != bufio.ErrBufferFull {
			return line, err
		}
	}
}

// next checks line as the next record of the chain and advances the chain;
// a non-empty reason says why it does not fit.
func (c *chain) next(line []byte) (Record, string) {
	var r Record
	body, ok := bytes.CutSuffix(line, []byte("\n"))
	if !ok {
		return r, "the last line has no newline: the file was cut short or a write was interrupted"
	}
	if !json.Valid(body) {
		return r, "not a JSON record"
	}
	hash, ok := splitHash(body)
	if !ok {
		return r, `no "hash" at the end of the record`
	}
	// The hash covers the record up to the hash field, closed with "}".
	h := sha256.New()
	h.Write(body[:len(body)-hashTail])
	h.Write([]byte("}"))
	if hex.EncodeToString(h.Sum(nil)) != hash {
		return r, "the hash does not match the record: the line was edited"
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return r, fmt.Sprintf("not a valid record: %v", err)
	}
	switch want := c.seq + 1; {
	case r.Seq < want:
		return r, fmt.Sprintf("seq %d follows seq %d: the record was inserted, copied or moved here", r.Seq, c.seq)
	case r.Seq == want+1:
		return r, fmt.Sprintf("seq %d follows seq %d: record %d is missing (removed or moved)", r.Seq, c.seq, want)
	case r.Seq > want:
		return r, fmt.Sprintf("seq %d follows seq %d: records %d to %d are missing (removed or moved)", r.Seq, c.seq, want, r.Seq-1)
	}
	if r.Prev != c.hash {
		if c.records == 0 {
			return r, "the first record's prev is not 64 zeros: the log does not start here"
		}
		return r, "prev is not the hash of the record before: a record was replaced"
	}
	c.records++
	c.seq, c.hash = r.Seq, hash
	return r, ""
}

// hashTail is the length of ,"hash":"<64 hex>"}.
const hashTail = len(hashKey) + 64 + 2

// splitHash returns the hash at the end of a record's JSON:
// ...,"hash":"<64 hex>"}.
func splitHash(body []byte) (string, bool) {
	if len(body) < hashTail+1 {
		return "", false
	}
	tail := body[len(body)-hashTail:]
	if !bytes.HasPrefix(tail, []byte(hashKey)) || !bytes.HasSuffix(tail, []byte(`"}`)) {
		return "", false
	}
	hash := string(tail[len(hashKey) : len(hashKey)+64])
	for _, b := range []byte(hash) {
		if (b < '0' || b > '9') && (b < 'a' || b > 'f') {
			return "", false
		}
	}
	return hash, true
}
