package tokens

// noRank marks a pair of parts that is not a token.
const noRank = ^uint32(0)

// smallPiece is the longest piece merged by the quadratic scan; longer ones
// use a heap, so that a megabyte of base64 costs n log n, not n².
const smallPiece = 128

// part is a piece's part: its start offset and the rank of the bytes from its
// start to the end of the part after it (noRank if they are not a token).
type part struct {
	start int
	rank  uint32
}

// rank returns the rank of b, or noRank.
func (e *Encoder) rank(b string) uint32 {
	if r, ok := e.ranks.get(b); ok {
		return r
	}
	return noRank
}

// bpe appends to dst the token ids of piece, which is not itself a token and
// is at least two bytes long, and returns dst. It is tiktoken's
// byte_pair_merge: repeatedly merge the adjacent pair of parts of lowest rank,
// the leftmost one on ties, until no pair is a token.
func (e *Encoder) bpe(piece string, dst []uint32) []uint32 {
	if len(piece) > smallPiece {
		return e.bpeHeap(piece, dst)
	}
	var buf [smallPiece + 1]part
	return e.bpeScan(piece, buf[:len(piece)+1], dst)
}

// bpeCount returns the number of token ids of piece, which is not itself a
// token and is at least two bytes long: bpe without the ids.
func (e *Encoder) bpeCount(piece string) int {
	if len(piece) > smallPiece {
		return len(e.bpeHeap(piece, nil))
	}
	var buf [smallPiece + 1]part
	return len(e.mergeScan(piece, buf[:len(piece)+1])) - 1
}

// bpeScan is bpe finding each merge by a scan of the parts, which has room
// for len(piece)+1 entries.
func (e *Encoder) bpeScan(piece string, parts []part, dst []uint32) []uint32 {
	parts = e.mergeScan(piece, parts)
	for i := 0; i+1 < len(parts); i++ {
		dst = append(dst, e.rank(piece[parts[i].start:parts[i+1].start]))
	}
	return dst
}

// mergeScan merges the bytes of piece as bpe does, finding each merge by a
// scan of parts (room for len(piece)+1 entries), and returns the parts left:
// the starts of the tokens and a last entry at len(piece).
func (e *Encoder) mergeScan(piece string, parts []part) []part {
	for i := range parts {
		parts[i] = part{start: i, rank: noRank}
	}
	for i := 0; i+2 < len(parts); i++ {
		parts[i].rank = e.ranks.pairRank(piece[i], piece[i+1])
	}
	// Merge parts i and i+1; the new part's pairs are with parts i+2 (ending
	// at i+3) and i-1 (ending at i+2), before part i+1 is removed.
	for len(parts) > 1 {
		minRank, minIdx := noRank, -1
		for i := 0; i < len(parts)-1; i++ {
			if parts[i].rank < minRank {
				minRank, minIdx = parts[i].rank, i
			}
		}
		if minIdx < 0 {
			break
		}
		i := minIdx
		if i+3 < len(parts) {
			parts[i].rank = e.rank(piece[parts[i].start:parts[i+3].start])
		} else {
			parts[i].rank = noRank
		}
		if i > 0 {
			parts[i-1].rank = e.rank(piece[parts[i-1].start:parts[i+2].start])
		}
		parts = append(parts[:i+1], parts[i+2:]...)
	}
	return parts
}

// node is a part in bpeHeap's linked list. A part keeps the index of its
// first byte: merging absorbs the right part into the left one.
type node struct {
	end, prev, next int32  // end of the part's bytes; neighbours, -1 at the ends
	rank            uint32 // rank of this part joined with the next, or noRank
	dead            bool   // merged into its left neighbour
}

// candidate is a possible merge of the part starting at pos with the next.
type candidate struct {
	rank uint32
	pos  int32
}

// before orders candidates by rank, then leftmost first (tiktoken's tie rule).
func (c candidate) before(d candidate) bool {
	return c.rank < d.rank || c.rank == d.rank && c.pos < d.pos
}

// minHeap is a binary heap of candidates.
type minHeap []candidate

func (h *minHeap) push(c candidate) {
	*h = append(*h, c)
	q := *h
	for i := len(q) - 1; i > 0; {
		p := (i - 1) / 2
		if !q[i].before(q[p]) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
}

func (h *minHeap) pop() candidate {
	q := *h
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	q = q[:last]
	for i := 0; ; {
		m, l, r := i, 2*i+1, 2*i+2
		if l < len(q) && q[l].before(q[m]) {
			m = l
		}
		if r < len(q) && q[r].before(q[m]) {
			m = r
		}
		if m == i {
			break
		}
		q[i], q[m] = q[m], q[i]
		i = m
	}
	*h = q
	return top
}

// bpeHeap is bpe for long pieces: the same merges in the same order, chosen
// from a priority queue ordered by (rank, position) instead of by a scan. A
// queued candidate is stale when its part died or its rank changed; a part's
// pair only grows, and ranks are unique per byte string, so an unchanged
// rank means an unchanged pair. Memory: about 28 bytes per byte of piece.
func (e *Encoder) bpeHeap(piece string, dst []uint32) []uint32 {
	n := int32(len(piece))
	nodes := make([]node, n)
	q := make(minHeap, 0, n)
	for i := range n {
		nodes[i] = node{end: i + 1, prev: i - 1, next: i + 1, rank: noRank}
		if i+1 < n {
			if r := e.ranks.pairRank(piece[i], piece[i+1]); r != noRank {
				nodes[i].rank = r
				q.push(candidate{r, i})
			}
		}
	}
	nodes[n-1].next = -1
	for len(q) > 0 {
		c := q.pop()
		nd := &nodes[c.pos]
		if nd.dead || nd.rank != c.rank {
			continue
		}
		right := &nodes[nd.next]
		right.dead = true
		nd.end = right.end
		nd.next = right.next
		nd.rank = noRank
		if nd.next >= 0 {
			nodes[nd.next].prev = c.pos
			if r := e.rank(piece[c.pos:nodes[nd.next].end]); r != noRank {
				nd.rank = r
				q.push(candidate{r, c.pos})
			}
		}
		if p := nd.prev; p >= 0 {
			nodes[p].rank = e.rank(piece[p:nd.end])
			if nodes[p].rank != noRank {
				q.push(candidate{nodes[p].rank, p})
			}
		}
	}
	for i := int32(0); i >= 0; i = nodes[i].next {
		dst = append(dst, e.rank(piece[i:nodes[i].end]))
	}
	return dst
}
