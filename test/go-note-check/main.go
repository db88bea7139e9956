// Checks a cosigned checkpoint with an implementation that is not ours: Go's golang.org/x/mod/sumdb/note parses the
// note and verifies the log's signature; C2SP tlog-cosignature (Ed25519, cosignature/v1) lines are checked by a
// note.Verifier written here against crypto/ed25519. Not part of npm test (Go is optional on our machines).
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run tools/go-note-check/main.go <log vkey> [<cosigner vkey>…] < checkpoint.txt
//
// Exit 0 when the log's signature and every given cosigner's cosignature verify; it prints each signer with its time.
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

type cosigner struct {
	name string
	hash uint32
	key  ed25519.PublicKey
	seen *uint64
}

func (c cosigner) Name() string    { return c.name }
func (c cosigner) KeyHash() uint32 { return c.hash }
func (c cosigner) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig[:8])
	signed := append([]byte("cosignature/v1\ntime "+strconv.FormatUint(t, 10)+"\n"), msg...)
	if !ed25519.Verify(c.key, signed, sig[8:]) {
		return false
	}
	*c.seen = t
	return true
}

func keyHash(name string, alg byte, key []byte) uint32 {
	h := sha256.Sum256(append(append([]byte(name+"\n"), alg), key...))
	return binary.BigEndian.Uint32(h[:4])
}

func parseCosigner(vkey string) cosigner {
	parts := strings.SplitN(vkey, "+", 3)
	raw, err := base64.StdEncoding.DecodeString(parts[len(parts)-1])
	if len(parts) != 3 || err != nil || len(raw) != 33 || raw[0] != 0x04 {
		fmt.Fprintln(os.Stderr, "not a cosigner key:", vkey)
		os.Exit(2)
	}
	c := cosigner{name: parts[0], key: ed25519.PublicKey(raw[1:]), seen: new(uint64)}
	c.hash = keyHash(c.name, 0x04, raw[1:])
	if fmt.Sprintf("%08x", c.hash) != parts[1] {
		fmt.Fprintln(os.Stderr, "cosigner key id does not match:", vkey)
		os.Exit(2)
	}
	return c
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go-note-check <log vkey> [<cosigner vkey>…] < checkpoint")
		os.Exit(2)
	}
	log, err := note.NewVerifier(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "log key:", err)
		os.Exit(2)
	}
	verifiers := []note.Verifier{log}
	var cosigners []cosigner
	for _, vkey := range os.Args[2:] {
		c := parseCosigner(vkey)
		cosigners = append(cosigners, c)
		verifiers = append(verifiers, c)
	}
	msg, _ := io.ReadAll(os.Stdin)
	n, err := note.Open(msg, note.VerifierList(verifiers...))
	if err != nil {
		fmt.Println("FAILED:", err)
		os.Exit(1)
	}
	ok := true
	fmt.Printf("log %s: signature verifies (%d unknown signature lines ignored)\n", log.Name(), len(n.UnverifiedSigs))
	for _, c := range cosigners {
		if *c.seen == 0 {
			fmt.Printf("cosigner %s: no cosignature\n", c.name)
			ok = false
		} else {
			fmt.Printf("cosigner %s: cosigned at %d\n", c.name, *c.seen)
		}
	}
	if !ok {
		os.Exit(1)
	}
}
