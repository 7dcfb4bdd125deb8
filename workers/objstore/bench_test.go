package objstore

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"testing"
)

// benchObject puts 8 MiB of random bytes (default 128 KiB chunks).
func benchObject(b *testing.B) (*Opener, string, int64) {
	js := startJetStream(b)
	data := make([]byte, 8<<20)
	rng := rand.NewChaCha8([32]byte{1})
	rng.Read(data)
	if _, err := Put(context.Background(), js, "bench", "obj", bytes.NewReader(data), 1); err != nil {
		b.Fatal(err)
	}
	return NewOpener(js, nil), Name("bench", "obj"), int64(len(data))
}

func benchRead(b *testing.B, op *Opener, name string, size, from int64) {
	b.SetBytes(size - from)
	for b.Loop() {
		f, err := op.Open(context.Background(), name)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Seek(from, io.SeekStart); err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, f)
		f.Close()
		if err != nil || n != size-from {
			b.Fatalf("read %d bytes: %v", n, err)
		}
	}
}

// BenchmarkReadStream reads an object from the start: one Get stream.
func BenchmarkReadStream(b *testing.B) {
	op, name, size := benchObject(b)
	benchRead(b, op, name, size, 0)
}

// BenchmarkReadChunks reads an object from an offset past streamMax: the
// chunk index, then one direct get per chunk.
func BenchmarkReadChunks(b *testing.B) {
	op, name, size := benchObject(b)
	op.streamMax = 0
	benchRead(b, op, name, size, 1)
}
