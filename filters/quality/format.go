package quality

// The fastText 0.9.x binary format, as written by FastText::saveModel.
const (
	fileMagic      = 793712314 // FASTTEXT_FILEFORMAT_MAGIC_INT32
	fileVersion    = 12        // FASTTEXT_VERSION of 0.9.x
	eos            = "</s>"    // Dictionary::EOS
	labelPrefix    = "__label__"
	ksub           = 256 // centroids per sub-quantizer (nbits 8)
	sigmoidTable   = 512
	maxSigmoid     = 8
	ngramMult      = 116049371
	fnvOffset      = 2166136261
	fnvPrime       = 16777619
	lossHS         = 1
	lossNS         = 2
	lossSoftmax    = 3
	lossOVA        = 4
	modelSupervise = 3
)

// Args are the training arguments stored at the head of a model file, in file order.
type Args struct {
	Dim          int32   // vector dimension
	WS           int32   // context window (unused by supervised models)
	Epoch        int32   // training epochs
	MinCount     int32   // minimal word count
	Neg          int32   // negatives sampled (loss ns)
	WordNgrams   int32   // max length of word n-grams
	Loss         int32   // 1 hs, 2 ns, 3 softmax, 4 ova
	Model        int32   // 1 cbow, 2 skipgram, 3 supervised
	Bucket       int32   // number of n-gram hash buckets
	Minn         int32   // min length of char n-grams
	Maxn         int32   // max length of char n-grams
	LRUpdateRate int32   // learning-rate update rate
	T            float64 // sampling threshold
}

// LossName names a loss code as fastText's -loss flag does.
func LossName(code int32) string {
	switch code {
	case lossHS:
		return "hs"
	case lossNS:
		return "ns"
	case lossSoftmax:
		return "softmax"
	case lossOVA:
		return "ova"
	}
	return "unknown"
}

// hashBytes is Dictionary::hash: 32-bit FNV-1a where each byte is first sign-extended
// (char is signed on x86), so bytes >= 0x80 xor in 0xffffff80 | b.
func hashBytes(b []byte) uint32 {
	h := uint32(fnvOffset)
	for _, c := range b {
		h = (h ^ uint32(int32(int8(c)))) * fnvPrime
	}
	return h
}

// Hash is fastText's word hash (Dictionary::hash) of s.
func Hash(s string) uint32 {
	h := uint32(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(int32(int8(s[i])))) * fnvPrime
	}
	return h
}
